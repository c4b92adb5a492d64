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
