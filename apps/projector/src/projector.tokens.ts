/** Injection token of the CofferConfig the projector runs with. */
export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');
