import { Logger } from '@nestjs/common';
import { badParameter, ErrorCodes, InnerErrorCodes } from '@coffer/contracts';
import { IncomingRequest, MessageHandler, NatsContext, OutgoingResponse, ServerNats } from '@nestjs/microservices';
import { Msg } from 'nats';
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
const REPLY_NOT_SENT = Buffer.from(JSON.stringify({ error: { code: ErrorCodes.InternalError, message: 'The reply could not be sent.' } }));

export class CofferNatsServer extends ServerNats {
  private gate?: RequestGate;
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

  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? null;
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
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
    if (!this.gate || !handler) return super.handleMessage(channel, natsMsg);
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
    // A message without a reply subject is handled (and gated) all the same; there is no one to answer.
    if (natsMsg.reply) this.reply(natsMsg, this.serializer.serialize(packet).data);
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
