/**
 * The wire protocol without the request classes: subjects, errors, limits, events, replies and the
 * pure helpers. What clients (the SDK, the CLI) import: the request classes carry class-validator
 * and class-transformer decorators, whose loading was most of the CLI's start-up time. index.ts
 * (`@coffer/contracts`) adds the request classes for the services that validate.
 */
export * from './subjects';
export * from './kinds/contract-kinds';
export * from './errors';
export * from './limits';
export * from './events/event-envelope';
export * from './events/encrypted-value';
export * from './events/event-catalogue';
export * from './events/domain-events';
export * from './wire/responses';
export * from './crypto/crypto-messages';
export * from './auth/auth-ids';
export * from './auth/data-actions';
export * from './auth/built-in-roles';
export * from './auth/scopes';
export * from './auth/auth-subjects';
export * from './auth/audit-record';
export * from './auth/audit-verify-pages';
export * from './audit/canonical-json';
export * from './audit/audit-chain-format';
export * from './audit/audit-feed';
export * from './auth/auth-responses';
export * from './crypto/signing-messages';
export * from './changes/change-feed';
export * from './changes/change-spec';
export * from './lifecycle/expiry-notices';
export * from './lifecycle/scheduler-subjects';
export * from './lifecycle/rotation-hook';
export * from './dev/dev-time';
export * from './certificates/revocation-reasons';
// The request classes' shapes, as types only (erased: nothing of class-validator is loaded).
export type * from './wire/requests';
export type * from './auth/auth-requests';
export type * from './audit/audit-feed-requests';
export type * from './keys/key-requests';
export type * from './changes/change-requests';
export type * from './lifecycle/expiry-notice-requests';
export type * from './dev/dev-requests';
export type * from './certificates/certificate-requests';
