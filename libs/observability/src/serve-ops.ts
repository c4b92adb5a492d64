import type { OpsApp, OpsSettings } from '@coffer/config';
import { appMetrics } from './app-metrics';
import { RunningOpsServer, startOpsServer } from './ops-server';
import { readinessOf } from './readiness';

/**
 * Starts `app`'s operations endpoint as its settings say (a process entry point calls this once;
 * in-process test stacks do not). A port already taken is logged, not fatal: the app still serves
 * its clients, and readiness probes will say the endpoint is missing.
 */
export async function serveOps(
  app: OpsApp, ops: OpsSettings, log: { info(message: string): void; warn(message: string): void },
): Promise<RunningOpsServer | undefined> {
  const port = ops.ports[app];
  if (port === 0) return undefined;
  try {
    const server = await startOpsServer({
      host: ops.host, port, readiness: readinessOf(app), ...(ops.metrics && { metrics: appMetrics(app).withProcessMetrics() }),
    });
    log.info(`${app} operations endpoint at ${server.url} (/metrics${ops.metrics ? '' : ' off'}, /livez, /readyz)`);
    return server;
  } catch (err) {
    log.warn(`${app}: no operations endpoint: ${ops.host}:${port}: ${(err as Error).message}`);
    return undefined;
  }
}
