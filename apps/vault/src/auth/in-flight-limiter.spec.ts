import { InFlightLimiter } from './in-flight-limiter';
import { LatencySampler } from './latency-sampler';

describe('InFlightLimiter', () => {
  it('admits up to perKey per key and total overall, and frees a slot once per admission', () => {
    const l = new InFlightLimiter(2, 3);
    const a1 = l.tryEnter('a')!;
    const a2 = l.tryEnter('a')!;
    expect(l.tryEnter('a')).toBeUndefined();
    const b1 = l.tryEnter('b')!;
    expect(l.tryEnter('c')).toBeUndefined();
    a1();
    a1();
    expect(l.inFlight).toBe(2);
    expect(l.tryEnter('c')).toBeDefined();
    a2();
    b1();
    expect((l as unknown as { perKeyCount: Map<string, number> }).perKeyCount.has('a')).toBe(false);
  });
});

describe('LatencySampler', () => {
  it('draws from the last `size` durations and ignores nonsense', () => {
    let r = 0;
    const s = new LatencySampler(3, () => r);
    expect(s.sample()).toBeUndefined();
    for (const ms of [10, 20, 30, 40, Number.NaN, -1]) s.add(ms);
    expect(s.count).toBe(3);
    expect(s.mean()).toBe(30);
    const drawn = [0, 0.34, 0.67, 0.99].map((x) => ((r = x), s.sample()));
    expect(drawn).toEqual([40, 20, 30, 30]);
  });
});
