/**
 * A bare NATS responder that replies with the request's own bytes, run as a separate process so the
 * echo ceiling pays for the same process hop as a request to the vault.
 * Usage: node dist/bench/echo-responder.js <nats-url> <subject>; prints "ready" once subscribed.
 */
import { natsClientOptions } from '@coffer/config';
import { connect } from 'nats';

async function main(): Promise<void> {
  const [url, subject] = process.argv.slice(2);
  if (!url || !subject) throw new Error('usage: echo-responder <nats-url> <subject>');
  const nc = await connect({ ...natsClientOptions(url), name: 'coffer-bench-echo' });
  // A queue group, as the NestJS transport subscribes.
  nc.subscribe(subject, { queue: 'bench-echo', callback: (err, msg) => (err ? undefined : msg.respond(msg.data)) });
  await nc.flush();
  process.stdout.write('ready\n');
  const shutdown = () => void nc.drain().finally(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  process.stderr.write(`echo-responder: ${err}\n`);
  process.exit(1);
});
