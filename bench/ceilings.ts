import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { natsClientOptions } from '@coffer/config';
import { connect, NatsConnection, StorageType } from 'nats';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';

/** What Coffer cannot beat on this machine: the transport and the log it is built on. */

const ECHO_SUBJECT = 'bench.echo';
const SCRATCH_STREAM = 'BENCH_SCRATCH';
/** About the size of a secrets get request/reply and of one appended event. */
const ECHO_PAYLOAD = Buffer.from(JSON.stringify({ name: 'bench-read', pad: randomBytes(96).toString('base64') }));
const EVENT_PAYLOAD = Buffer.from(JSON.stringify({ type: 'SecretSet', data: randomBytes(384).toString('base64') }));

/** The same connection options as the SDK (CofferClient.connect). */
export function connectLikeTheSdk(url: string, name: string): Promise<NatsConnection> {
  return connect({ ...natsClientOptions(url), name });
}

/** NATS request-reply against an echo responder in another process. */
export async function measureEchoCeiling(url: string, load: LoadOptions): Promise<LoadResult> {
  const responder = await startResponder('echo-responder.js', [url, ECHO_SUBJECT]);
  const nc = await connectLikeTheSdk(url, 'coffer-bench-echo-client');
  try {
    return await runClosedLoop('NATS request-reply echo', () => nc.request(ECHO_SUBJECT, ECHO_PAYLOAD, { timeout: 10_000 }), load);
  } finally {
    await nc.close();
    await responder.stop();
  }
}

/** An audited responder's reply that starts with this is a failure (the client counts it as an error). */
export const AUDITED_FAILED = '!failed: ';

/**
 * The honest ceilings (bench/audited-echo-responder.ts): request-reply where the responder first
 * group-commits an audit record with the vault's own sink (`echo`), or appends an event and then
 * audits (`append`), and replies after the acks: what a get or a set cannot skip.
 */
export async function measureAuditedCeiling(url: string, mode: 'echo' | 'append', load: LoadOptions): Promise<LoadResult> {
  const subject = `bench.audited.${mode}`;
  const responder = await startResponder('audited-echo-responder.js', [url, subject, mode]);
  const nc = await connectLikeTheSdk(url, `coffer-bench-audited-${mode}-client`);
  try {
    const name = mode === 'echo' ? 'audited echo' : 'audited append';
    const failed = Buffer.from(AUDITED_FAILED);
    return await runClosedLoop(name, async () => {
      const reply = await nc.request(subject, ECHO_PAYLOAD, { timeout: 10_000 });
      if (Buffer.from(reply.data.subarray(0, failed.length)).equals(failed)) throw new Error(Buffer.from(reply.data).toString());
    }, load);
  } finally {
    await nc.close();
    await responder.stop();
  }
}

/** JetStream publish with ack to a scratch file-storage stream, deleted afterwards. */
export async function measureJetStreamPublishCeiling(url: string, load: LoadOptions): Promise<LoadResult> {
  const nc = await connectLikeTheSdk(url, 'coffer-bench-jetstream');
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(SCRATCH_STREAM).catch(() => false);
  await jsm.streams.add({ name: SCRATCH_STREAM, subjects: ['bench.scratch.>'], storage: StorageType.File });
  const js = nc.jetstream();
  try {
    // One subject per object in Coffer: spread the appends over as many subjects as writers.
    return await runClosedLoop('JetStream publish (ack)', (i) => js.publish(`bench.scratch.${i % load.concurrency}`, EVENT_PAYLOAD), load);
  } finally {
    await jsm.streams.delete(SCRATCH_STREAM).catch(() => false);
    await nc.close();
  }
}

/** A responder in its own process (the same process hop as a request to the vault), once it printed "ready". */
async function startResponder(script: string, args: string[]): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`${script} exited with code ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
  });
  child.removeAllListeners('exit');
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
