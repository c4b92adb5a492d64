import { natsMaxPayload } from '@coffer/config';
import { AuthSubjects, Subjects } from '@coffer/contracts';
import { CofferStack, connectTo, startCofferStack } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { connect as tcpConnect } from 'node:net';

/**
 * Issue 9, defect 3, against real processes: an unauthenticated `coffer.v1.auth.token` with ~1.3 MB
 * of JSON (100k unknown keys) used to block the vault's event loop for 9 s (4 MB: over 65 s); run
 * against that code, this test saw ~11 s of class-validator and then the vault exit on its 3.5 MB
 * error reply. Each hostile body below must get a typed BadParameter (RequestTooLarge /
 * RequestTooComplex), cost the vault little CPU, and leave a legitimate `coffer.v1.status`
 * answering fast; a body over nats-server's max_payload never reaches the vault at all.
 */
const TOKEN = AuthSubjects.token;
/** Bound for the legitimate request while the attack runs: generous for a busy shared 2-core machine. */
const LEGIT_MAX_MS = 1_000;
/**
 * Rounds per hostile body, each with COPIES requests in flight at once. The vault's CPU per hostile
 * request is the sharp measure (without the pre-scan a 1.3 MB body costs it 0.14–0.25 s even with the
 * DTO shape check; with it, ~20 ms, mostly receiving the bytes); the legitimate request's latency is
 * the user's view, and on a loaded machine it also carries moving the hostile megabytes through
 * nats-server, so the rounds stay small.
 */
const ROUNDS = 3;
const COPIES = 4;
/** Without the pre-scan a round takes many seconds: stop sending more once the stall is obvious. */
const OBVIOUS_STALL_MS = 5_000;
const ATTACK_TIMEOUT_MS = 60_000;
/** A legitimate request unanswered for this long counts as "no answer". */
const PROBE_TIMEOUT_MS = 30_000;

const keys = (n: number) => Array.from({ length: n }, (_, i) => `"kk-${String(i).padStart(5, '0')}":0`).join(',');
const credentialsWith = (rest: string) => `{"clientId":"attacker","clientSecret":"x",${rest}}`;

const HOSTILE: { name: string; body: Buffer; inner: 'RequestTooLarge' | 'RequestTooComplex' }[] = [
  // The reported one: 100k unknown keys, ~1.3 MB (over COFFER_MAX_REQUEST_BYTES, 1 MiB).
  { name: '1.3 MB, 100k unknown keys', body: Buffer.from(credentialsWith(keys(100_000))), inner: 'RequestTooLarge' },
  // The same attack kept under 1 MiB: refused for its key count, before JSON.parse.
  { name: '0.8 MB, 60k unknown keys', body: Buffer.from(credentialsWith(keys(60_000))), inner: 'RequestTooComplex' },
  { name: 'nested 100k levels', body: Buffer.from(`{"clientId":"a","clientSecret":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), inner: 'RequestTooComplex' },
  { name: '100k array elements', body: Buffer.from(`{"clientId":"a","clientSecret":[${'0,'.repeat(99_999)}0]}`), inner: 'RequestTooComplex' },
];

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** Vault CPU per hostile request (transport, gate, audit record, reply included); without the pre-scan a 1.3 MB body costs ~0.2 s even with the shape check, 10 s before it. */
const CPU_PER_REQUEST_MAX_MS = 50;

const decode = (data: Uint8Array) => JSON.parse(Buffer.from(data).toString('utf8')) as { error?: { code: string; innererror?: { code: string } } };
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

describe('bounded input: hostile bodies get typed errors and do not stall the vault (real processes)', () => {
  let stack: CofferStack;
  let attacker: NatsConnection;
  let legit: NatsConnection;

  /** Round-trip of one legitimate status request, in ms (it must answer ok). */
  const statusMs = async (): Promise<number> => {
    const t0 = performance.now();
    const reply = JSON.parse(Buffer.from((await legit.request(Subjects.status, '{}', { timeout: PROBE_TIMEOUT_MS })).data).toString()) as { vault?: { ok?: boolean } };
    if (reply.vault?.ok !== true) throw new Error(`status not ok: ${JSON.stringify(reply)}`);
    return performance.now() - t0;
  };

  beforeAll(async () => {
    stack = await startCofferStack();
    attacker = await connectTo(stack.clientUrl, { noAsyncTraces: true });
    legit = await connectTo(stack.clientUrl, { noAsyncTraces: true });
  });
  afterAll(async () => {
    await attacker?.close();
    await legit?.close();
    await stack?.stop();
  });

  it('each hostile body is refused with BadParameter and its inner code while status keeps answering under 1 s', async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 10; i++) baseline.push(await statusMs());
    const figures: string[] = [`load average ${loadavg()[0].toFixed(1)}; status alone: p50 ${percentile(baseline.sort((a, b) => a - b), 50).toFixed(1)} ms`];
    const outcomes: { name: string; codes: string[]; replyMs: number; legitMaxMs: number; cpuPerRequest: number }[] = [];

    for (const hostile of HOSTILE) {
      expect(hostile.body.length).toBeLessThan(natsMaxPayload({}));
      const codes: string[] = [];
      const legitMs: number[] = [];
      let replyMs = 0;
      const vaultPid = stack.pids().vault!;
      const cpuBefore = cpuMs(vaultPid);
      let attacking = true;
      // The legitimate client asks again and again for as long as the attack is in flight.
      const probing = (async () => {
        while (attacking) {
          try {
            legitMs.push(await statusMs());
          } catch {
            legitMs.push(Infinity); // no answer at all (the vault stalled past the timeout, or died)
            return;
          }
        }
      })();
      const stalled = () => legitMs.some((ms) => ms >= OBVIOUS_STALL_MS);
      for (let round = 0; round < ROUNDS && !stalled(); round++) {
        const t0 = performance.now();
        const replies = await Promise.all(Array.from({ length: COPIES }, () => attacker.request(TOKEN, hostile.body, { timeout: ATTACK_TIMEOUT_MS }).then(
          (r) => { const { error } = decode(r.data); return `${error?.code}/${error?.innererror?.code}`; },
          (err: { code?: string }) => `no reply (${err.code})`,
        )));
        replyMs = Math.max(replyMs, performance.now() - t0);
        codes.push(...replies);
      }
      attacking = false;
      await probing;
      const cpuPerRequest = stack.pids().vault === vaultPid ? (cpuMs(vaultPid) - cpuBefore) / codes.length : Infinity;
      const sorted = [...legitMs].sort((a, b) => a - b);
      outcomes.push({ name: hostile.name, codes: [...new Set(codes)], replyMs, legitMaxMs: sorted[sorted.length - 1], cpuPerRequest });
      figures.push(
        `${hostile.name} (${(hostile.body.length / 1e6).toFixed(2)} MB, ${COPIES} in flight): slowest hostile round ${replyMs.toFixed(0)} ms; ` +
          `vault CPU ${cpuPerRequest.toFixed(1)} ms per request; status during it: ${sorted.length} answers, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
          `max ${sorted[sorted.length - 1].toFixed(1)} ms; replies ${[...new Set(codes)].join(', ')}`,
      );
    }
     
    console.log(`bounded input, measured:\n  ${figures.join('\n  ')}`);

    for (const o of outcomes) {
      expect({ name: o.name, legitUnder1s: o.legitMaxMs < LEGIT_MAX_MS, cheap: o.cpuPerRequest < CPU_PER_REQUEST_MAX_MS })
        .toEqual({ name: o.name, legitUnder1s: true, cheap: true });
    }
    for (const [i, o] of outcomes.entries()) expect({ name: o.name, codes: o.codes }).toEqual({ name: o.name, codes: [`BadParameter/${HOSTILE[i].inner}`] });
    // After the attack the service is still there and answers a normal request.
    expect(stack.pids().vault).toBeDefined();
    expect(await statusMs()).toBeLessThan(LEGIT_MAX_MS);
  });

  it('a 4 MB body is over nats-server max_payload (COFFER_NATS_MAX_PAYLOAD, 2 MB): the client refuses it, the server cuts a raw sender off, the vault never sees it', async () => {
    const body = Buffer.from(credentialsWith(keys(310_000)));
    expect(body.length).toBeGreaterThan(4_000_000);
    // nats.js checks the server's max_payload before sending.
    expect(() => attacker.publish(TOKEN, body, { reply: `_INBOX_coffer-client.x` })).toThrow(expect.objectContaining({ code: 'MAX_PAYLOAD_EXCEEDED' }));
    // A client speaking the protocol itself is refused by nats-server on the PUB line, before any
    // byte of the body, and disconnected (the body is never sent here: the server would reset the
    // connection while it is written and the -ERR could be lost).
    const { host, port, user, pass } = parseNatsUrlParts(stack.clientUrl);
    const serverSaid = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect({ host, port });
      let text = '';
      let stage: 'info' | 'pong' | 'pub' = 'info';
      socket.setTimeout(20_000, () => socket.destroy(new Error(`no answer from nats-server; it said: ${text}`)));
      socket.on('data', (d) => {
        text += d.toString('latin1');
        if (stage === 'info' && text.includes('\r\n')) {
          stage = 'pong';
          socket.write(`CONNECT ${JSON.stringify({ user, pass, verbose: false, pedantic: false, headers: true })}\r\nPING\r\n`);
        } else if (stage === 'pong' && text.includes('PONG')) {
          stage = 'pub';
          socket.write(`PUB ${TOKEN} _INBOX_coffer-client.raw ${body.length}\r\n`);
        }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', (err) => reject(err));
    });
    expect(serverSaid).toContain('PONG');
    expect(serverSaid).toMatch(/-ERR 'Maximum Payload Violation'/);
    expect(stack.pids().vault).toBeDefined();
    expect(await statusMs()).toBeLessThan(LEGIT_MAX_MS);
  });
});

/** Host, port and credentials of a `nats://user:pass@host:port` URL. */
function parseNatsUrlParts(url: string): { host: string; port: number; user: string; pass: string } {
  const u = new URL(url.replace(/^nats:/, 'http:'));
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
}
