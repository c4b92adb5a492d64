/** A dependency's probe: resolves when it answers, rejects (or hangs past the timeout) when it does not. */
export type ReadinessProbe = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  /** Each dependency: 'ok' or why not. */
  checks: Record<string, string>;
}

const PROBE_TIMEOUT_MS = 2_000;

/**
 * The dependencies an app needs to serve (NATS, its database, the HSM), each with a probe. Ready
 * only when there is at least one and every one answers within the timeout: an app that has not
 * finished starting, or has stopped, has none registered and is not ready.
 */
export class Readiness {
  private readonly probes = new Map<string, ReadinessProbe>();
  private serial = 0;

  /** Registers a probe; the returned function removes it (call it on shutdown). */
  add(name: string, probe: ReadinessProbe): () => void {
    const key = this.probes.has(name) ? `${name}#${++this.serial}` : name;
    this.probes.set(key, probe);
    return () => void this.probes.delete(key);
  }

  async report(timeoutMs = PROBE_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = [...this.probes];
    const results = await Promise.all(entries.map(([, probe]) => answer(probe, timeoutMs)));
    const checks = Object.fromEntries(entries.map(([name], i) => [name, results[i]]));
    return { ready: entries.length > 0 && results.every((r) => r === 'ok'), checks };
  }
}

async function answer(probe: ReadinessProbe, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => 'ok', (err: unknown) => (err as Error)?.message || String(err)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const registries = new Map<string, Readiness>();

/** The readiness of `app` in this process. */
export function readinessOf(app: string): Readiness {
  let readiness = registries.get(app);
  if (!readiness) registries.set(app, (readiness = new Readiness()));
  return readiness;
}
