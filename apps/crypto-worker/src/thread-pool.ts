import { availableParallelism } from 'node:os';

/**
 * RSA work runs with the *Async pkcs11js calls on libuv's thread pool, which libuv sizes from
 * UV_THREADPOOL_SIZE when it is first used (default 4). Imported first by main.ts so the size is
 * set before anything touches the pool: at least one thread per core, never fewer than libuv's 4.
 * The adapter opens as many async sessions as there are threads (threadPoolSize()).
 */
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(Math.max(4, availableParallelism()));
