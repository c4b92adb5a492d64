/** Nest injection token for the crypto-worker's CofferConfig. */
export const CRYPTO_WORKER_CONFIG = Symbol('coffer.crypto-worker.config');
