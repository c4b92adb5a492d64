import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppMetrics } from './app-metrics';
import { Readiness } from './readiness';

export interface OpsServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Absent: /metrics answers 404 (COFFER_METRICS=0). */
  metrics?: AppMetrics;
  readiness: Readiness;
}

export interface RunningOpsServer {
  /** `http://host:port`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The operations endpoint of one app, plain HTTP on a loopback port by default (never on NATS,
 * never on the gateway's public listener): GET /metrics (Prometheus text format), /livez (the
 * process runs its event loop: always 200) and /readyz (200 when every dependency answers, else
 * 503; the body says which did not).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const server = createServer((req, res) => void route(options, req, res).catch(() => send(res, 500, 'text/plain', 'error\n')));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A scraper's idle keep-alive connection must not hold the process open at shutdown.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, close: () => closeServer(server) };
}

async function route(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/livez':
      return send(res, 200, 'text/plain', 'ok\n');
    case '/readyz': {
      const report = await options.readiness.report();
      return send(res, report.ready ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
    }
    case '/metrics':
      if (!options.metrics) return send(res, 404, 'text/plain', 'metrics are off (COFFER_METRICS=0)\n');
      return send(res, 200, options.metrics.registry.contentType, await options.metrics.registry.metrics());
    default:
      return send(res, 404, 'text/plain', 'not found: /metrics, /livez, /readyz\n');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
