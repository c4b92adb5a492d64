import { ENCRYPTION_ALGORITHMS, InternalSubjects, SIGNATURE_ALGORITHMS, WRAP_ALGORITHMS } from '@coffer/contracts';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HSM, HsmError, HsmPort } from '@coffer/hsm';
import { appMetrics, LATENCY_BUCKETS, readinessOf } from '@coffer/observability';
import { isDeviceFailure } from './hsm-error.mapper';

const metrics = appMetrics('crypto-worker');

const hsmCalls = metrics.histogram({
  name: 'coffer_hsm_call_duration_seconds',
  help: 'Time of one crypto-worker operation on the HSM (session wait included), by operation, mechanism (JOSE algorithm) and outcome',
  labelNames: ['operation', 'mechanism', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});
const hsmErrors = metrics.counter({
  name: 'coffer_hsm_errors_total',
  help: 'HSM operations that failed, by operation, HsmError code and kind (device: the token or module failed; caller: a bad key, input or ciphertext)',
  labelNames: ['operation', 'code', 'kind'] as const,
});

/** Mechanisms by request: the JOSE algorithm a key operation names, else the one the operation always uses. */
const KNOWN_ALGS: ReadonlySet<string> = new Set([...SIGNATURE_ALGORITHMS, ...ENCRYPTION_ALGORITHMS, ...WRAP_ALGORITHMS]);
const FIXED_MECHANISM: Record<string, string> = {
  'kek.ensure': 'AES-KEYGEN', 'datakey.generate': 'A256KW', 'datakey.unwrap': 'A256KW', sign: 'ES256', 'signingkey.ensure': 'EC-KEYGEN',
};
const PREFIX = `${InternalSubjects.cryptoPrefix}.`;

/**
 * Records one HSM operation. `body` is the request as received (before validation), so its `alg`
 * counts only when it is a known algorithm: labels stay a fixed, small set.
 */
export function observeHsmCall(subject: string, body: unknown, startedAt: number, error?: unknown): void {
  const operation = subject.startsWith(PREFIX) ? subject.slice(PREFIX.length) : 'other';
  if (operation === 'status') return;
  const alg = (body as { alg?: unknown } | null)?.alg;
  const mechanism = typeof alg === 'string' && KNOWN_ALGS.has(alg) ? alg : (FIXED_MECHANISM[operation] ?? 'none');
  hsmCalls.labels(operation, mechanism, error === undefined ? 'ok' : 'error').observe((performance.now() - startedAt) / 1000);
  if (error instanceof HsmError) hsmErrors.labels(operation, error.code, isDeviceFailure(error) ? 'device' : 'caller').inc();
}

let pooled: HsmPort | undefined;
metrics.gauge({
  name: 'coffer_hsm_sessions', help: 'Logged-in HSM sessions in the crypto-worker\'s pool for synchronous operations (RSA has its own on the thread pool)',
  collect() {
    if (pooled) this.set(pooled.info().sessions);
  },
});
metrics.gauge({
  name: 'coffer_hsm_sessions_in_use', help: 'Pooled HSM sessions running an operation now: at coffer_hsm_sessions, further requests queue',
  collect() {
    if (pooled) this.set(pooled.info().inFlight);
  },
});

/** The HSM whose session pool the gauges read at scrape time, until the returned function is called. */
export function observeHsmPool(hsm: HsmPort): () => void {
  pooled = hsm;
  return () => {
    if (pooled === hsm) pooled = undefined;
  };
}

/** While the app runs: the pool gauges read its HSM, and readiness asks the token (`hsm`). */
@Injectable()
export class HsmObservation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly undo: (() => void)[] = [];

  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  onApplicationBootstrap(): void {
    this.undo.push(observeHsmPool(this.hsm), readinessOf('crypto-worker').add('hsm', () => this.hsm.ping()));
  }

  onApplicationShutdown(): void {
    this.undo.splice(0).forEach((fn) => fn());
  }
}
