import { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { Streams } from '@coffer/contracts';
import { EventLogUnavailableError } from './event-store.errors';

/** One wrapped data key as stored in the keyring stream. Never the plaintext key. */
export interface KeyringEntry {
  vault: string;
  objectType: 'secret';
  name: string;
  kekId: string;
  /** The data key wrapped under the vault's KEK in the HSM (base64). */
  wrapped: string;
}

interface DirectGet {
  getMessage(stream: string, query: { seq: number }): Promise<{ seq: number; data: Uint8Array }>;
}

/**
 * Wrapped data keys live apart from the event log so that purge can erase them: JetStream's
 * erase overwrites the message on disk, and without the wrapped key the object's ciphertext in
 * the (immutable) event log can never be decrypted again.
 */
export class Keyring {
  private constructor(private readonly js: JetStreamClient, private readonly jsm: JetStreamManager) {}

  static async open(nc: NatsConnection): Promise<Keyring> {
    return new Keyring(nc.jetstream(), await nc.jetstreamManager());
  }

  /** Stores a wrapped key; its stream sequence is its id. */
  async put(entry: KeyringEntry): Promise<number> {
    try {
      const ack = await this.js.publish(Streams.keyring.secret(entry.vault, entry.name), Buffer.from(JSON.stringify(entry)));
      return ack.seq;
    } catch (err) {
      throw new EventLogUnavailableError(`keyring write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The entry with id `seq`, or undefined once it has been erased. */
  async get(seq: number): Promise<KeyringEntry | undefined> {
    try {
      const msg = await (this.jsm as unknown as { direct: DirectGet }).direct.getMessage(Streams.keyring.name, { seq });
      return JSON.parse(Buffer.from(msg.data).toString('utf8')) as KeyringEntry;
    } catch (err) {
      if ((err as { code?: string }).code === '404') return undefined;
      throw new EventLogUnavailableError(`keyring read failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Securely erases the entry (overwritten on disk). Idempotent. */
  async erase(seq: number): Promise<void> {
    try {
      await this.jsm.streams.deleteMessage(Streams.keyring.name, seq, true);
    } catch (err) {
      const code = (err as { code?: string; api_error?: { err_code?: number } }).api_error?.err_code;
      if (code === 10057 /* no message found */) return;
      if (/no message found|not found/i.test((err as Error).message)) return;
      throw new EventLogUnavailableError(`keyring erase failed: ${(err as Error).message}`, { cause: err });
    }
  }
}
