import { Logger } from '@nestjs/common';
import { badParameter, ErrorCodes, InnerErrorCodes, WireError } from '@coffer/contracts';
import { IncomingRequest, MessageHandler, NatsContext, OutgoingResponse, ServerNats } from '@nestjs/microservices';
import { Msg, NatsConnection } from 'nats';
import { isObservable, lastValueFrom } from 'rxjs';
import { ReplyGuard } from './reply-guard';
import { GatedRequest, HandlerFailure, RequestGate } from './request-gate';
import { toWireError } from './wire-exception.filter';

/**
 * NestJS's NATS server, minus costs on the hot path:
 *  - it looks handlers up by first trying to JSON.parse the subject pattern, which throws (and
 *    builds a stack trace) for every plain subject; Coffer's patterns are plain subjects, so the
 *    lookup is a map get;
 *  - with a RequestGate (useGate), a request runs gate → handler → reply directly: no rxjs
 *    pipeline per request, and the gate instead of an interceptor (see RequestGate);
 *  - replies made in one turn of the event loop leave together: nats.js writes to the socket in
 *    the microtask after the first publish, so replies finishing in different microtasks each cost
 *    a write (a system call, about a tenth of the vault's time under load); they are published
 *    together when the turn's I/O is done (setImmediate), one write.
 * And a request whose reply subject is not a caller's inbox is dropped before any work (ReplyGuard):
 * not handled, not answered; the gate (if any) is told, so the vault can audit it. A reply nats.js
 * refuses to send (over the server's max_payload: a 3.5 MB error listing 100k unknown fields once
 * killed the vault from inside setImmediate) is replaced by a short InternalError, never thrown;
 * a header block nats.js cannot parse is BadParameter/MalformedRequest (reading it threw an unhandled
 * rejection that ended the process).
 */
/**
 * Told of each answered request: the pattern it matched (never the concrete subject: no vault or
 * object names), its error code (undefined when it succeeded) and when it arrived (performance.now()).
 */
export type RequestObserver = (pattern: string, errorCode: string | undefined, startedAt: number) => void;

const REPLY_NOT_SENT = Buffer.from(JSON.stringify({ error: { code: ErrorCodes.InternalError, message: 'The reply could not be sent.' } }));

export class CofferNatsServer extends ServerNats {
  private gate?: RequestGate;
  private observer?: RequestObserver;
  private readonly closeHooks: (() => void)[] = [];
  /** Requests NestJS handles itself (no gate), by message, until their publisher is made. */
  private readonly observed = new WeakMap<Msg, { pattern: string; startedAt: number }>();
  readonly replyGuard = new ReplyGuard('CofferNatsServer');
  private pendingReplies: [Msg, Uint8Array][] = [];
  private readonly sendReplies = () => {
    const replies = this.pendingReplies;
    this.pendingReplies = [];
    for (const [msg, data] of replies) {
      try {
        msg.respond(data);
      } catch (err) {
        this.replyFailed(msg, data.length, err);
      }
    }
  };
  private readonly replyLogger = new Logger('CofferNatsServer');

  private replyFailed(msg: Msg, bytes: number, err: unknown): void {
    this.replyLogger.error(`a reply of ${bytes} bytes on ${msg.subject.slice(0, 120)} could not be sent: ${(err as { code?: string })?.code ?? (err as Error)?.message}`);
    try {
      msg.respond(REPLY_NOT_SENT);
    } catch {
      // The connection itself is gone: nobody can be answered, and the next request will tell.
    }
  }

  useGate(gate: RequestGate): void {
    this.gate = gate;
  }

  observe(observer: RequestObserver): void {
    this.observer = observer;
  }

  /** Resolves when the serving connection answers a PING (readiness); rejects before listen() and after close(). */
  ping(): Promise<void> {
    const nc = (this as unknown as { natsClient?: NatsConnection | null }).natsClient;
    return nc && !nc.isClosed() ? nc.flush() : Promise.reject(new Error('not connected'));
  }

  /** Runs `fn` once the server has closed (readiness probes are removed there). */
  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.closeHooks.splice(0).forEach((fn) => fn());
    }
  }

  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? null;
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    const startedAt = this.observer ? performance.now() : 0;
    if (!this.replyGuard.allows(natsMsg.subject, natsMsg.reply)) {
      this.gate?.replyRefused?.(natsMsg.subject);
      return;
    }
    if (!headersReadable(natsMsg)) {
      // Refused before NestJS or the gate reads them (nats.js would throw there, an unhandled rejection that ends the process).
      const refusal = badParameter('Malformed request: the NATS headers cannot be parsed.', InnerErrorCodes.MalformedRequest).toWire();
      if (natsMsg.reply) this.reply(natsMsg, this.serializer.serialize({ id: natsMsg.reply, err: refusal }).data);
      return;
    }
    const handler = this.gate ? this.getHandlerByPattern(channel) : null;
    // Without a gate, or for a subject nobody handles (NestJS replies with its no-handler error).
    if (!this.gate || !handler) {
      if (this.observer) this.observed.set(natsMsg, { pattern: channel, startedAt });
      return super.handleMessage(channel, natsMsg);
    }
    const context = new NatsContext([natsMsg.subject, natsMsg.headers]);
    // JsonWireDeserializer makes every message a request (it always sets an id).
    const { id, data } = (await this.deserializer.deserialize(natsMsg.data, { channel, replyTo: natsMsg.reply })) as IncomingRequest;
    const request: GatedRequest = { pattern: channel, data, context };
    let packet: OutgoingResponse;
    try {
      packet = { id, response: await this.gate.pass(request, () => this.invoke(handler, data, context)) };
    } catch (err) {
      packet = { id, err: err instanceof HandlerFailure ? err.wire : toWireError(err, natsMsg.subject) };
    }
    this.observer?.(channel, (packet.err as WireError | undefined)?.code, startedAt);
    // A message without a reply subject is handled (and gated) all the same; there is no one to answer.
    if (natsMsg.reply) this.reply(natsMsg, this.serializer.serialize(packet).data);
  }

  /** NestJS's publisher of one reply, telling the observer about the first packet (the reply; later ones only close the stream). */
  override getPublisher(natsMsg: Msg, id: string, ctx: NatsContext): (response: OutgoingResponse) => unknown {
    const publish = super.getPublisher(natsMsg, id, ctx);
    const observed = this.observed.get(natsMsg);
    const observer = this.observer;
    if (!observed || !observer) return publish;
    this.observed.delete(natsMsg);
    let told = false;
    return (response) => {
      if (!told) {
        told = true;
        const err = response.err as WireError | string | undefined;
        observer(observed.pattern, err === undefined || err === null ? undefined : typeof err === 'object' ? err.code : ErrorCodes.InternalError, observed.startedAt);
      }
      return publish(response);
    };
  }

  private reply(msg: Msg, data: Uint8Array): void {
    if (this.pendingReplies.push([msg, data]) === 1) setImmediate(this.sendReplies);
  }

  /** The NestJS handler (pipes, method, exception filters): its value, or a HandlerFailure with the error reply. */
  private async invoke(handler: MessageHandler, data: unknown, context: NatsContext): Promise<unknown> {
    const result = await handler(data, context);
    if (!isObservable(result)) return result;
    try {
      return await lastValueFrom(result, { defaultValue: undefined });
    } catch (wire) {
      throw new HandlerFailure(wire as HandlerFailure['wire']);
    }
  }
}

/**
 * nats.js parses headers lazily and throws from the `headers` getter on a header block it cannot
 * parse (e.g. a key with a space, which only a client writing the protocol itself can send).
 */
function headersReadable(msg: Msg): boolean {
  try {
    void msg.headers;
    return true;
  } catch {
    return false;
  }
}
