import { AuditRecord } from '@coffer/contracts';
import { AuditNoiseAggregator, isFoldable } from './audit-noise-aggregator';

const rec = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  time: '2025-01-01T00:00:00.000Z', requestId: 'r', principal: null, action: 'Coffer/auth/token', objectId: '/',
  outcome: 'failed', errorCode: 'BadParameter', subject: 'coffer.v1.auth.token', ...over,
});
const settings = { intervalMs: 1000, individualPerKind: 2, individualPerInterval: 3, maxKinds: 2 };

describe('AuditNoiseAggregator', () => {
  it('folds only anonymous, unsuccessful records', () => {
    expect(isFoldable(rec())).toBe(true);
    expect(isFoldable(rec({ outcome: 'unauthenticated', errorCode: 'Unauthorized' }))).toBe(true);
    expect(isFoldable(rec({ outcome: 'succeeded', errorCode: undefined }))).toBe(false);
    expect(isFoldable(rec({ principal: 'p-0000000000000001', outcome: 'denied' }))).toBe(false);
    expect(isFoldable(rec({ principal: 'p-0000000000000001', outcome: 'failed' }))).toBe(false);
  });

  it('records the first N per kind individually, then one summary with the count and time span', () => {
    const agg = new AuditNoiseAggregator(settings);
    const admitted = [0, 1, 2, 3, 4].map((i) => agg.admit(rec({ requestId: `r${i}`, time: `2025-01-01T00:00:0${i}.000Z` }), '_system', 0));
    expect(admitted).toEqual(['record', 'record', 'folded', 'folded', 'folded']);
    expect(agg.admit(rec({ outcome: 'succeeded', errorCode: undefined }), '_system', 0)).toBe('record');
    expect(agg.admit(rec({ principal: 'p-0000000000000001', outcome: 'denied' }), '_system', 0)).toBe('record');
    expect(agg.due(999)).toBe(false);
    expect(agg.due(1000)).toBe(true);
    expect(agg.drain()).toEqual([
      rec({ requestId: 'summary', time: '2025-01-01T00:00:02.000Z', lastTime: '2025-01-01T00:00:04.000Z', count: 3 }),
    ]);
    expect(agg.pending()).toBe(0);
    expect(agg.admit(rec(), '_system', 2000)).toBe('record');
  });

  it('bounds individual records per interval and kinds tracked: an attacker varying subjects gets one overflow summary', () => {
    const agg = new AuditNoiseAggregator(settings);
    const out = Array.from({ length: 50 }, (_, i) => agg.admit(rec({ subject: `coffer.v1.vault.v${i}.secret.get`, objectId: `/vaults/v${i}` }), `v${i}`, 0));
    expect(out.filter((o) => o === 'record')).toHaveLength(2);
    const summaries = agg.drain();
    expect(summaries.reduce((n, s) => n + s.count!, 0)).toBe(48);
    expect(summaries.find((s) => s.action === '*')).toMatchObject({ subject: '*', objectId: '*', outcome: 'failed', errorCode: 'BadParameter' });
    expect(summaries.length).toBeLessThanOrEqual(settings.maxKinds + 1);
  });
});
