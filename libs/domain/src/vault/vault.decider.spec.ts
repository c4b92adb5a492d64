import { ErrorCodes, InnerErrorCodes, VaultEvent } from '@coffer/contracts';
import { decideVault, evolveVault, initialVaultState } from './vault.decider';

const now = new Date('2026-01-01T00:00:00.000Z');
const create = { type: 'CreateVault', name: 'demo', kekId: 'k1', retentionDays: 90, purgeProtection: false, now } as const;
const created = (purgeProtection = false) =>
  evolveVault(initialVaultState(), { ...decideVault({ ...create, purgeProtection }, initialVaultState())[0], metadata: { requestId: 'r', occurredAt: '' } } as VaultEvent, 1);

describe('vault decider', () => {
  it('creates a vault with its settings and key-encryption key', () =>
    expect(decideVault(create, initialVaultState())).toMatchObject([
      { type: 'VaultCreated', data: { name: 'demo', kekId: 'k1', retentionDays: 90, purgeProtection: false, created: now.toISOString() } },
    ]));
  it('refuses to create a vault twice', () =>
    expect(() => decideVault(create, created())).toThrow(expect.objectContaining({ code: ErrorCodes.Conflict })));
  it('updates settings, keeping what is not given', () =>
    expect(decideVault({ type: 'UpdateVault', name: 'demo', retentionDays: 7, now }, created())).toMatchObject([
      { type: 'VaultUpdated', data: { retentionDays: 7, purgeProtection: false } },
    ]));
  it('turns purge protection on', () =>
    expect(decideVault({ type: 'UpdateVault', name: 'demo', purgeProtection: true, now }, created())[0].data).toMatchObject({ purgeProtection: true }));
  it('never turns purge protection off', () =>
    expect(() => decideVault({ type: 'UpdateVault', name: 'demo', purgeProtection: false, now }, created(true))).toThrow(
      expect.objectContaining({ code: ErrorCodes.BadParameter, innerCode: InnerErrorCodes.PurgeProtectionIrreversible }),
    ));
  it('refuses to update an unknown vault', () =>
    expect(() => decideVault({ type: 'UpdateVault', name: 'x', now }, initialVaultState())).toThrow(
      expect.objectContaining({ code: ErrorCodes.VaultNotFound }),
    ));
});
