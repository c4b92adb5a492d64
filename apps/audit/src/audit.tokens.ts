export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');
export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');
/** An AuditSigner; when absent the app signs through the crypto-worker. */
export const AUDIT_SIGNER = Symbol('AUDIT_SIGNER');
export const AUDIT_DURABLE = 'coffer-audit';
