import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { absentKey, KeyState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { KeyLoadNeeds, KeyRow, ReadModel, readKeyDecisionState } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

export interface LoadedKey {
  state: KeyState;
  head: KeyRow | null;
}

export type { KeyLoadNeeds };

/**
 * Decision state of a key in O(1), whatever its history: the read-model head, the addressed
 * version, and only when asked the rotation policy; every version's HSM id only for a deleted key
 * (what a purge destroys). When there is no row (new, or purged), the subject may still hold
 * history, so the expected sequence comes from the log once the read model has caught up with it.
 */
@Injectable()
export class KeyStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  async load(vault: string, name: string, needs: KeyLoadNeeds = {}): Promise<LoadedKey> {
    const loaded = await readKeyDecisionState(this.readModel, vault, name, needs);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.key(vault, name));
    if (last === 0) return { state: absentKey(0), head: null };
    await this.waiter.waitFor(last);
    return (await readKeyDecisionState(this.readModel, vault, name, needs)) ?? { state: absentKey(last), head: null };
  }
}
