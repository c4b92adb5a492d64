import { natsConnectOptions, NatsSettings } from '@coffer/config';
import { Streams } from '@coffer/contracts';
import { clearReadModel, projectBatch, ProjectableEvent, readCheckpoint, readModelConnection } from '@coffer/read-model';
import { connect } from 'nats';
import { Logger } from 'pino';
import { decodeEvent } from './decode-event';
import { ensureCofferStreams } from '@coffer/event-store';

export interface RebuildOptions {
  /** May carry `user:password@`; `nats` (credentials, TLS) wins over it. */
  natsUrl: string;
  nats?: NatsSettings;
  dbUrl: string;
  /** 0 (default): empty the tables and replay from sequence 1. N > 0: keep the tables and resume at max(N, checkpoint + 1). */
  from?: number;
  batchSize?: number;
  logger?: Logger;
  progressEveryMs?: number;
  /** applied_requests older than this are pruned, as the live projector does (default 24 h). */
  requestIdHorizonMs?: number;
  /** Stop after this sequence instead of the stream's last (a benchmark's partial rebuild). */
  untilSequence?: number;
}

export interface RebuildResult {
  /** Events applied by this run. */
  events: number;
  /** The stream's last sequence when the rebuild started (where it stopped). */
  lastSequence: number;
  checkpoint: number;
  ms: number;
}

/**
 * Replays COFFER_EVENTS into `dbUrl` through the same projectBatch/applyEvent as the live
 * projector, with an ephemeral ordered consumer (the durable is untouched). Stops at the stream's
 * last sequence as of the start. Rebuild in place only while the live projector is stopped, or
 * rebuild into a new database and point the projector at it (it repositions its consumer at the
 * new database's checkpoint on start).
 */
export async function rebuildReadModel(opts: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 1000;
  const log = opts.logger;
  const nc = await connect({ ...natsConnectOptions({ natsUrl: opts.natsUrl, nats: opts.nats }, 'coffer-projector-rebuild'), maxReconnectAttempts: 10 });
  // Its own connection and driver-level transactions, as the live projector (see DedicatedConnection).
  const db = readModelConnection(opts.dbUrl, { applicationName: 'coffer-projector-rebuild' });
  await db.connect().catch(async (err) => {
    await nc.close();
    throw err;
  });
  try {
    const jsm = await nc.jetstreamManager();
    await ensureCofferStreams(jsm);
    const lastSequence = Math.min((await jsm.streams.info(Streams.events.name)).state.last_seq, opts.untilSequence ?? Number.POSITIVE_INFINITY);
    const from = opts.from ?? 0;
    let start = 1;
    if (from <= 0) {
      await clearReadModel(db);
    } else {
      start = Math.max(from, (await db.read((m) => readCheckpoint(m))) + 1);
    }
    log?.info({ from: start, lastSequence }, 'rebuild started');
    let events = 0;
    let checkpoint = start - 1;
    if (start <= lastSequence) {
      const consumer = await nc.jetstream().consumers.get(Streams.events.name, { opt_start_seq: start });
      const messages = await consumer.consume({ max_messages: batchSize });
      let batch: ProjectableEvent[] = [];
      let lastReport = Date.now();
      let reportedEvents = 0;
      const flush = async () => {
        const r = await projectBatch(db, batch, { requestIdHorizonMs: opts.requestIdHorizonMs });
        events += r.applied;
        checkpoint = r.checkpoint;
        batch = [];
      };
      try {
        for await (const m of messages) {
          if (m.seq > lastSequence) break;
          batch.push({ event: decodeEvent(m.data, m.subject, m.seq), sequence: m.seq, subject: m.subject });
          if (batch.length >= batchSize || m.seq === lastSequence) await flush();
          if (log && Date.now() - lastReport >= (opts.progressEveryMs ?? 1000)) {
            const rate = Math.round(((events - reportedEvents) * 1000) / (Date.now() - lastReport));
            log.info({ events, sequence: checkpoint, lastSequence, eventsPerSecond: rate }, 'rebuild progress');
            lastReport = Date.now();
            reportedEvents = events;
          }
          if (m.seq >= lastSequence) break;
        }
        if (batch.length > 0) await flush();
      } finally {
        messages.stop();
      }
    }
    const ms = Date.now() - started;
    log?.info({ events, checkpoint, lastSequence, ms, eventsPerSecond: Math.round((events * 1000) / Math.max(ms, 1)) }, 'rebuild done');
    return { events, lastSequence, checkpoint, ms };
  } finally {
    await db.close().catch(() => undefined);
    await nc.close().catch(() => undefined);
  }
}
