import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyRotationPolicy, KeyRotationPolicySetRequest, LifetimeAction, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';
import { toRotationPolicy } from './key.mapper';

/** Replaces the key's rotation policy (the scheduler executes it); the decider validates it. */
@Controller()
export class SetKeyRotationPolicyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter) {}

  @MessagePattern(Patterns.key('rotationpolicy.set'))
  @Access(DataActions.keysRotationPolicyWrite, keyScope)
  async handle(@Payload() req: KeyRotationPolicySetRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyRotationPolicy> {
    await this.vaults.require(vaultName);
    // Plain objects: the DTO instances would otherwise carry absent optional members into the event.
    const lifetimeActions: LifetimeAction[] = req.lifetimeActions.map(({ trigger, action }) => ({
      trigger: {
        ...(trigger.timeAfterCreate !== undefined && { timeAfterCreate: trigger.timeAfterCreate }),
        ...(trigger.timeBeforeExpiry !== undefined && { timeBeforeExpiry: trigger.timeBeforeExpiry }),
      },
      action: { type: action.type },
    }));
    const outcome = await this.writer.run(vaultName, req.name, request, { policy: true }, (now) => ({
      type: 'SetKeyRotationPolicy', name: req.name, lifetimeActions, expiryTime: req.attributes?.expiryTime, now,
    }));
    const { name: _n, ...policy } = outcome.event.data;
    return toRotationPolicy(vaultName, req.name, policy);
  }
}
