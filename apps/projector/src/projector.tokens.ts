/** Injection token of the CofferConfig the projector runs with. */
export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');
/** Injection token of its ProjectorOptions. */
export const PROJECTOR_OPTIONS = Symbol('PROJECTOR_OPTIONS');
