import { appMetrics, LATENCY_BUCKETS } from '@coffer/observability';
import type { FastifyInstance } from 'fastify';

const metrics = appMetrics('gateway');

const requests = metrics.counter({
  name: 'coffer_gateway_requests_total',
  help: 'HTTP requests the gateway answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
});
const duration = metrics.histogram({
  name: 'coffer_gateway_request_duration_seconds',
  help: 'Time from an HTTP request\'s arrival to its response, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: LATENCY_BUCKETS,
});
const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * Counts and times every response. Routes are Fastify's patterns (`/secrets/:name/:version`), never
 * the path a caller sent, so vault and object names never become labels; a request no route
 * matched is `unmatched`.
 */
export function installGatewayMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    requests.labels(method, route, String(reply.statusCode)).inc();
    duration.labels(method, route).observe(reply.elapsedTime / 1000);
  });
}
