import { ErrorCodes, InnerErrorCodes } from '@coffer/contracts';
import { deciderScenarios, vaultDecider } from '@coffer/read-model/testing';
import { decideVault } from './vault.decider';
import { NO_VAULT } from './vault.state';

const now = new Date('2026-01-01T00:00:00.000Z');
const create = { type: 'CreateVault', name: 'demo', kekId: 'k1', retentionDays: 90, purgeProtection: false, now } as const;
const created = (purgeProtection = false) => decideVault({ ...create, purgeProtection }, NO_VAULT);

const { given } = deciderScenarios(vaultDecider('demo'));

describe('vault decider', () => {
  it('creates a vault with its settings and key-encryption key', () =>
    given().when(create).then([
      { type: 'VaultCreated', data: { name: 'demo', kekId: 'k1', retentionDays: 90, purgeProtection: false, created: now.toISOString() } },
    ]));
  it('refuses to create a vault twice', () => given(...created()).when(create).thenFails(ErrorCodes.Conflict));
  it('updates settings, keeping what is not given', () =>
    given(...created()).when({ type: 'UpdateVault', name: 'demo', retentionDays: 7, now }).then([
      { type: 'VaultUpdated', data: { retentionDays: 7, purgeProtection: false } },
    ]));
  it('turns purge protection on', () =>
    given(...created()).when({ type: 'UpdateVault', name: 'demo', purgeProtection: true, now }).then([{ data: { purgeProtection: true } }]));
  it('never turns purge protection off', () =>
    given(...created(true)).when({ type: 'UpdateVault', name: 'demo', purgeProtection: false, now })
      .thenFails(ErrorCodes.BadParameter, InnerErrorCodes.PurgeProtectionIrreversible));
  it('refuses to update an unknown vault', () => given().when({ type: 'UpdateVault', name: 'demo', now }).thenFails(ErrorCodes.VaultNotFound));
});
