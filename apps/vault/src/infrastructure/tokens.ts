/** Injection tokens for the vault's infrastructure. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const COFFER_CONFIG = Symbol('COFFER_CONFIG');
