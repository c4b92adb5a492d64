export * from './protocol';
// The request classes (class-validator / class-transformer): for the services that validate requests.
export * from './wire/requests';
export * from './wire/tags.validator';
export * from './auth/auth-requests';
export * from './audit/audit-feed-requests';
export * from './keys/key-requests';
export * from './changes/change-requests';
export * from './lifecycle/expiry-notice-requests';
export * from './dev/dev-requests';
export * from './certificates/certificate-requests';
