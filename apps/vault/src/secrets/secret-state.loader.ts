import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { absentSecret, SecretState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { ReadModel, readSecretDecisionState, SecretRow } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

export interface LoadedSecret {
  state: SecretState;
  head: SecretRow | null;
}

/**
 * Decision state of a secret in O(1), whatever its history: the read-model head row and, for
 * version commands, the addressed version. When there is no row (new, or purged), the subject may
 * still hold history, so the expected sequence comes from the log once the read model has caught
 * up with it.
 */
@Injectable()
export class SecretStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  /** `version`: the version a command addresses (default: the current one); `false`: none needed. */
  async load(vault: string, name: string, version?: string | false): Promise<LoadedSecret> {
    const loaded = await readSecretDecisionState(this.readModel, vault, name, version);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.secret(vault, name));
    if (last === 0) return { state: absentSecret(0), head: null };
    await this.waiter.waitFor(last);
    return (await readSecretDecisionState(this.readModel, vault, name, version)) ?? { state: absentSecret(last), head: null };
  }
}
