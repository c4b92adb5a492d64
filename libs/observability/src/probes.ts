import type { NatsConnection } from 'nats';

/** NATS answers: a PING round trip on the connection (pending while it reconnects, so the timeout decides). */
export function natsProbe(nc: NatsConnection): () => Promise<unknown> {
  return () => (nc.isClosed() ? Promise.reject(new Error('connection closed')) : nc.flush());
}

/** A database answers a trivial query. */
export function sqlProbe(db: { query(sql: string): Promise<unknown> }): () => Promise<unknown> {
  return () => db.query('SELECT 1');
}
