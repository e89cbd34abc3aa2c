"""Schemathesis hooks for the mock (scripts/ci/schemathesis.sh), applied just before each call.

1. `envelope=true` moves the real status into the body and answers HTTP 200 (contract section 3, as Atlas
   documents it), also for errors. No status-code check can tell such an enveloped 400 from an accepted
   request, and OpenAPI 3.0 cannot tie a response shape to a query value; the envelope is tested by the vitest
   suites (test/core/envelope-pretty.test.ts, the property fuzz). A generated `envelope=true` is dropped, so
   every other check applies to the plain answer.
2. Accept: the resource version comes from the Accept header, and the body must be of that version (the
   document says so for every operation with versioned bodies). A client that sends a body of
   `application/vnd.atlas.<date>+json` asks for the same version, as the Atlas SDKs do; other requests use
   ATLAS_ACCEPT (the version of this run).
"""
import os

import schemathesis

ACCEPT = os.environ.get("ATLAS_ACCEPT")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    query = case.query
    if isinstance(query, dict) and str(query.get("envelope", "")).lower() == "true":
        del query["envelope"]
    media = case.media_type or ""
    accept = media if media.startswith("application/vnd.atlas.") else ACCEPT
    if accept:
        case.headers = {**(case.headers or {}), "Accept": accept}
