"""Schemathesis hooks for the mock (scripts/ci/schemathesis.sh), applied just before each call.

1. `envelope=true` moves the real status into the body and answers HTTP 200 (contract section 3, as Atlas
   documents it), also for errors. No status-code check can tell such an enveloped 400 from an accepted
   request, and OpenAPI 3.0 cannot tie a response shape to a query value; the envelope is tested by the vitest
   suites (test/core/envelope-pretty.test.ts, the property fuzz). A generated `envelope=true` is dropped, so
   every other check applies to the plain answer.
2. Accept: the resource version comes from the Accept header (contract section 2: the newest version of the
   operation dated on or before the date asked for; a date before its first version is 406). A client that
   sends a body of `application/vnd.atlas.<date>+json` asks for the same version, as the Atlas SDKs do. Other
   requests take, in turn, each date of the document on or after the operation's first version: every
   version of every operation is served (its own date), and so is the resolution of a later date to an older
   version (a client pinned to 2024-08-05 calling a 2023-01-01 operation). An operation whose answers name
   no version (a 204, the 501 of an operation the mock does not simulate) is asked with the newest date of
   the document, which resolves for every operation.
3. Schema-valid requests that Atlas refuses with a 400 (`atlas_state_rule`): positive_data_acceptance
   expects a schema-valid request to be accepted, but Atlas answers 400 (not 409) when the state of the world
   forbids it (a snapshot still in progress, a role an export bucket uses, a cluster name that is no flex
   cluster), and for rules that tie one field to another or to stored ids (a policy item id of the current
   policy, the frequency interval of its frequency type), which no JSON Schema can state. For the operations
   of STATE_RULES only, scripts/ci/schemathesis.toml adds 400 to positive_data_acceptance's statuses, and
   this check lets a 400 through only with one of the operation's codes (and parameters) below: any other
   400 of a schema-valid request still fails. Every code here is in FIDELITY.md with its evidence.
"""
import os
import re
import tomllib
from collections import defaultdict

import schemathesis

MEDIA = re.compile(r"^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$")

_document_dates: list[str] | None = None
_turns: dict[str, int] = defaultdict(int)


def _dates(content) -> set[str]:
    return {m.group(1) for m in (MEDIA.match(k) for k in (content or {})) if m}


def _operation_dates(raw) -> set[str]:
    """The versions an operation declares: media types of its 2xx answers and of its request body."""
    dates = _dates((raw.get("requestBody") or {}).get("content"))
    for status, response in (raw.get("responses") or {}).items():
        if str(status).startswith("2"):
            dates |= _dates((response or {}).get("content"))
    return dates


def _all_dates(document) -> list[str]:
    global _document_dates
    if _document_dates is None:
        found: set[str] = set()
        for item in (document.get("paths") or {}).values():
            for op in item.values():
                if isinstance(op, dict) and "responses" in op:
                    found |= _operation_dates(op)
        _document_dates = sorted(found)
    return _document_dates


def _accept_for(case) -> str:
    media = case.media_type or ""
    if MEDIA.match(media):
        return media
    every = _all_dates(case.operation.schema.raw_schema)
    declared = _operation_dates(case.operation.definition.raw)
    dates = [d for d in every if d >= min(declared)] if declared else every[-1:]
    turn = _turns[case.operation.label]
    _turns[case.operation.label] += 1
    return f"application/vnd.atlas.{dates[turn % len(dates)]}+json"


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    query = case.query
    if isinstance(query, dict) and str(query.get("envelope", "")).lower() == "true":
        del query["envelope"]
    if case.operation.path.startswith("/api/atlas/"):
        case.headers = {**(case.headers or {}), "Accept": _accept_for(case)}


# operationId -> {errorCode: the first parameters it may name (None: any)} of the 400s a schema-valid request
# can get.
STATE_RULES: dict[str, dict[str, tuple[str, ...] | None]] = {
    # Snapshots: one on-demand snapshot at a time; an unfinished snapshot can be neither deleted nor given a
    # new retention; a retention must end after now (it counts from the snapshot's completion).
    "takeGroupClusterBackupSnapshots": {"UNFINISHED_ON_DEMAND_SNAPSHOT": None},
    "deleteGroupClusterBackupSnapshot": {"CANNOT_DELETE_IN_PROGRESS_SNAPSHOT": None},
    "deleteGroupClusterBackupSnapshotShardedCluster": {"CANNOT_DELETE_IN_PROGRESS_SNAPSHOT": None},
    "updateGroupClusterBackupSnapshot": {"CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION": None, "BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID": None},
    # Backup schedule: ids must be those of the current policy and its items, an item keeps its frequency
    # type, an interval must be one its frequency takes, auto export needs a bucket and a frequency (given
    # now or before).
    "updateGroupClusterBackupSchedule": {
        "INVALID_POLICY_ID": None,
        "INVALID_POLICY_ITEM_ID": None,
        "INVALID_FREQUENCY_TYPE_CHANGE": None,
        "INVALID_BACKUP_POLICY": None,
        "MISSING_ATTRIBUTE": ("export.exportBucketId", "export.frequencyType"),
    },
    # Export buckets: the role must be authorized; a bucket a schedule auto-exports to stays.
    "createGroupBackupExportBucket": {"CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED": None},
    "deleteGroupBackupExportBucket": {"EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE": None},
    # Cloud provider access: authorizing names the role's own provider; a role an export bucket uses stays.
    "authorizeGroupCloudProviderAccessRole": {"INVALID_ATTRIBUTE": ("providerName",)},
    "deauthorizeGroupCloudProviderAccessRole": {"CLOUD_PROVIDER_ACCESS_ROLE_IN_USE": None},
    # Flex API on a dedicated cluster's name (recorded).
    **{
        op: {"CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API": None}
        for op in (
            "getGroupFlexCluster",
            "updateGroupFlexCluster",
            "deleteGroupFlexCluster",
            "listGroupFlexClusterBackupSnapshots",
            "getGroupFlexClusterBackupSnapshot",
        )
    },
}


def _opened_in_config() -> set[str]:
    """The operations whose positive_data_acceptance statuses include 400 in scripts/ci/schemathesis.toml."""
    with open(os.path.join(os.path.dirname(__file__), "schemathesis.toml"), "rb") as f:
        config = tomllib.load(f)
    opened: set[str] = set()
    for op in config.get("operations", []):
        statuses = op.get("checks", {}).get("positive_data_acceptance", {}).get("expected-statuses", [])
        if "400" in [str(s) for s in statuses]:
            ids = op.get("include-operation-id", [])
            opened |= {ids} if isinstance(ids, str) else set(ids)
    return opened


# The two lists must name the same operations: 400 is opened exactly where this check guards it.
if _opened_in_config() != set(STATE_RULES):
    raise RuntimeError(f"schemathesis.toml opens 400 for {sorted(_opened_in_config() ^ set(STATE_RULES))} unlike STATE_RULES")


@schemathesis.check
def atlas_state_rule(ctx, response, case):
    """A schema-valid request refused with a 400 must be refused by one of its operation's state rules."""
    meta = case.meta
    if response.status_code != 400 or meta is None or not meta.generation.mode.is_positive:
        return None
    rules = STATE_RULES.get(case.operation.definition.raw.get("operationId"))
    if rules is None:
        return None  # positive_data_acceptance fails it
    try:
        body = response.json()
    except Exception:
        body = None
    code = body.get("errorCode") if isinstance(body, dict) else None
    params = body.get("parameters") if isinstance(body, dict) else None
    if code in rules and (rules[code] is None or (isinstance(params, list) and params[:1] and params[0] in rules[code])):
        return None
    raise AssertionError(
        f"Schema-valid request refused with 400 {code} {params}: not one of this operation's state rules ({', '.join(rules)})"
    )
