/** Injection tokens of the gateway module. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const GATEWAY_NATS = Symbol('GATEWAY_NATS');
