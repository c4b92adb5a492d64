import { badParameter } from '@coffer/contracts';
import { BatchSlots } from './batch-slots';

describe('BatchSlots', () => {
  it('keeps request order: vault refusals in place, worker results fill the rest', () => {
    const slots = new BatchSlots(4);
    const prepared = [0, 1, 2, 3].map((i) => slots.check(i, () => {
      if (i === 1) throw badParameter('bad digest');
      return i;
    }));
    expect(slots.pending(prepared)).toEqual([0, 2, 3]);
    slots.fill([{ value: 'a' }, { value: 'c' }, { value: 'd' }]);
    expect(slots.items()).toEqual([{ value: 'a' }, { error: { code: 'BadParameter', message: 'bad digest' } }, { value: 'c' }, { value: 'd' }]);
  });
  it('lets internal errors fail the request', () => {
    expect(() => new BatchSlots(1).check(0, () => { throw new Error('bug'); })).toThrow('bug');
  });
});
