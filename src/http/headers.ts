/** Headers Atlas sends on every response it produces after routing (contract §8, recorded). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'strict-transport-security': 'max-age=31536000; includeSubdomains;',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-permitted-cross-domain-policies': 'none',
});

/** Errors are plain JSON, never versioned and without charset (contract §2, recorded). */
export const ERROR_CONTENT_TYPE = 'application/json';
