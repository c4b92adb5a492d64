/** Identifier formats of principals, credentials and role assignments, and audit-verify page sizes. */
export const PRINCIPAL_ID = /^p-[0-9a-f]{16}$/;
export const PRINCIPAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
export const CREDENTIAL_ID = /^c-[0-9a-f]{16}$/;
export const ROLE_ASSIGNMENT_ID = /^ra-[0-9a-f]{16}$/;
/** Records verified per `audit verify` page: the default, and the most a page may ask for. */
export const AUDIT_VERIFY_PAGE_DEFAULT = 50_000;
export const AUDIT_VERIFY_PAGE_MAX = 200_000;
