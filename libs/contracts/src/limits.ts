/** Validation rules shared by the server, the SDK and the CLI. */
export const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{2,23}$/;
export const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
export const VERSION_ID = /^[0-9a-f]{32}$/;
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const Limits = {
  retentionDaysMin: 7,
  retentionDaysMax: 90,
  retentionDaysDefault: 90,
  maxTags: 15,
  maxTagNameLength: 256,
  maxTagValueLength: 256,
  maxContentTypeLength: 255,
  pageSizeMin: 1,
  pageSizeMax: 25,
  pageSizeDefault: 25,
  defaultSecretValueMaxBytes: 25 * 1024,
} as const;

/**
 * Request limits checked on the raw bytes before JSON.parse builds anything (README: Request limits).
 * Bytes, depth and total keys are settings (COFFER_MAX_REQUEST_BYTES, _DEPTH, _KEYS); these are the defaults.
 * The largest legitimate requests (backup restore, a 256-item batch, a PFX import) nest 6 levels at
 * most and carry a few hundred keys, so the caps leave a wide margin while bounding the work.
 */
export const RequestLimits = {
  maxBytesDefault: 1024 * 1024,
  maxDepthDefault: 32,
  maxKeysDefault: 4096,
  /** Keys of one object: no request object has more than 16 fields or tags. */
  maxKeysPerObject: 256,
  /** Array elements in the whole body: a 256-item batch, 5 SAN lists of 100. */
  maxArrayItems: 8192,
  /** Object keys that could reach a prototype once parsed; refused wherever they appear. */
  forbiddenKeys: ['__proto__', 'constructor', 'prototype'],
} as const;
