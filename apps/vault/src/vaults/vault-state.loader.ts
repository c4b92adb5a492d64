import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { NO_VAULT, VaultState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { ReadModel, readVaultDecisionState } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

/** Decision state of a vault from the read model (caught up with the log when no row exists yet). */
@Injectable()
export class VaultStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  async load(name: string): Promise<VaultState> {
    const loaded = await readVaultDecisionState(this.readModel, name);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.vault(name));
    if (last === 0) return NO_VAULT;
    await this.waiter.waitFor(last);
    return (await readVaultDecisionState(this.readModel, name)) ?? NO_VAULT;
  }
}
