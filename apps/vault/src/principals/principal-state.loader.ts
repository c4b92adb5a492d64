import { Injectable } from '@nestjs/common';
import { SystemStreams } from '@coffer/contracts';
import { noPrincipal, PrincipalState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { PrincipalCredentialRow, PrincipalRow, ReadModel } from '@coffer/read-model';
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
    let row = await this.readModel.getPrincipal(id);
    if (!row) {
      const last = await this.events.lastSequence(SystemStreams.principal(id));
      if (last === 0) return { state: noPrincipal(0), row: null, credentials: [] };
      await this.waiter.waitFor(last);
      row = await this.readModel.getPrincipal(id);
      if (!row) return { state: noPrincipal(last), row: null, credentials: [] };
    }
    const credentials = await this.readModel.credentialsOf(id);
    return {
      row,
      credentials,
      state: {
        exists: true, id: row.id, name: row.name, type: row.type, enabled: row.enabled, sequence: row.sequence,
        credentials: credentials.map((c) => ({ id: c.id, kind: c.kind, ...(c.publicKey && { publicKey: c.publicKey }) })),
      },
    };
  }
}
