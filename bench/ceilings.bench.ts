import { startNatsServer } from '@coffer/testing';
import { BenchOptions } from './bench-options';
import { measureAuditedCeiling, measureEchoCeiling, measureJetStreamPublishCeiling } from './ceilings';
import { formatResults, progress } from './report';

export const CEILING_IN_FLIGHT = 64;

/** `bench ceilings`: only the transport ceilings, on a bare nats-server (checks the harness). */
export async function runCeilingsBench(opts: BenchOptions): Promise<boolean> {
  const nats = await startNatsServer();
  try {
    const load = { concurrency: CEILING_IN_FLIGHT, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds };
    progress(`NATS request-reply echo, ${load.concurrency} in flight, ${opts.seconds} s`);
    const echo = await measureEchoCeiling(nats.url, load);
    progress(`JetStream publish with ack, ${load.concurrency} in flight, ${opts.seconds} s`);
    const publish = await measureJetStreamPublishCeiling(nats.url, load);
    progress(`audited echo and audited append, ${load.concurrency} in flight, ${opts.seconds} s`);
    const auditedEcho = await measureAuditedCeiling(nats.url, 'echo', load);
    const auditedAppend = await measureAuditedCeiling(nats.url, 'append', load);
    const results = [echo, publish, auditedEcho, auditedAppend];
    if (opts.json) process.stdout.write(`${JSON.stringify({ benchmark: 'ceilings', options: opts, results }, null, 2)}\n`);
    else process.stdout.write(`\ncoffer bench ceilings (${opts.seconds} s each after ${opts.warmupSeconds} s warm-up)\n${formatResults(results)}\n`);
    return true;
  } finally {
    await nats.stop();
  }
}
