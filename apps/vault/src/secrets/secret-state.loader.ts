import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { absentSecret, SecretState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { ReadModel, SecretRow } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { viewOfRow } from './secret.mapper';
import { noticesOfRow } from '../lifecycle/notices-of-row';

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
    let head = await this.readModel.getSecret(vault, name);
    if (!head) {
      const last = await this.events.lastSequence(Streams.events.secret(vault, name));
      if (last === 0) return { state: absentSecret(0), head: null };
      await this.waiter.waitFor(last);
      head = await this.readModel.getSecret(vault, name);
      if (!head) return { state: absentSecret(last), head: null };
    }
    const row = version === false ? null : await this.readModel.getSecretVersion(vault, name, version ?? head.currentVersion);
    return {
      head,
      state: {
        status: head.status,
        sequence: head.sequence,
        currentVersion: head.currentVersion,
        deletedDate: head.deletedDate ?? undefined,
        scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
        deks: head.status === 'deleted' ? await this.readModel.secretDeks(vault, name) : [head.dek],
        versions: row ? { [row.version]: { ...viewOfRow(row), notices: noticesOfRow(row) } } : {},
        ...(head.managedBy && { managedBy: head.managedBy }),
      },
    };
  }
}
