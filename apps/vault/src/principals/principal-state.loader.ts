import { Injectable } from '@nestjs/common';
import { SystemStreams } from '@coffer/contracts';
import { noPrincipal, PrincipalState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { PrincipalCredentialRow, PrincipalRow, ReadModel, readPrincipalDecisionState } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

export interface LoadedPrincipal {
  state: PrincipalState;
  row: PrincipalRow | null;
  credentials: PrincipalCredentialRow[];
}

/** Decision state of a principal from the read model (caught up with the log when there is no row yet). */
@Injectable()
export class PrincipalStateLoader {
  constructor(private readonly readModel: ReadModel, private readonly events: EventStore, private readonly waiter: ProjectionWaiter) {}

  async load(id: string): Promise<LoadedPrincipal> {
    const loaded = await readPrincipalDecisionState(this.readModel, id);
    if (loaded) return loaded;
    const last = await this.events.lastSequence(SystemStreams.principal(id));
    if (last === 0) return { state: noPrincipal(0), row: null, credentials: [] };
    await this.waiter.waitFor(last);
    return (await readPrincipalDecisionState(this.readModel, id)) ?? { state: noPrincipal(last), row: null, credentials: [] };
  }
}
