import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { absentKey, KeyState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { KeyRow, ReadModel } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';
import { policyOfRow, stateOfView, viewOfKeyRow } from './key.mapper';
import { noticesOfRow } from '../lifecycle/notices-of-row';

export interface LoadedKey {
  state: KeyState;
  head: KeyRow | null;
}

/** What a command needs beyond the head: a version (default the current one; false: none), the rotation policy. */
export interface KeyLoadNeeds {
  version?: string | false;
  policy?: boolean;
}

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
    let head = await this.readModel.getKey(vault, name);
    if (!head) {
      const last = await this.events.lastSequence(Streams.events.key(vault, name));
      if (last === 0) return { state: absentKey(0), head: null };
      await this.waiter.waitFor(last);
      head = await this.readModel.getKey(vault, name);
      if (!head) return { state: absentKey(last), head: null };
    }
    const [row, policy, hsmKeyIds] = await Promise.all([
      needs.version === false ? null : this.readModel.getKeyVersion(vault, name, needs.version ?? head.currentVersion),
      needs.policy ? this.readModel.getKeyRotationPolicy(vault, name) : null,
      head.status === 'deleted' ? this.readModel.keyHsmKeyIds(vault, name) : [],
    ]);
    return {
      head,
      state: {
        status: head.status,
        sequence: head.sequence,
        currentVersion: head.currentVersion,
        deletedDate: head.deletedDate ?? undefined,
        scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
        hsmKeyIds,
        versions: row ? { [row.version]: { ...stateOfView(viewOfKeyRow(row)), notices: noticesOfRow(row) } } : {},
        ...(policy && { rotationPolicy: policyOfRow(policy) }),
        ...(head.managedBy && { managedBy: head.managedBy }),
      },
    };
  }
}
