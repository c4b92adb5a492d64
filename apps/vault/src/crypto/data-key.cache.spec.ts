import { DataKeyCache } from './data-key.cache';

describe('DataKeyCache', () => {
  it('expires entries after the TTL and zeroes evicted keys', () => {
    let t = 0;
    const cache = new DataKeyCache(1000, 10, () => t);
    cache.set(1, Buffer.alloc(32, 7));
    const held = cache.get(1)!;
    expect(held[0]).toBe(7);
    t = 1000;
    expect(cache.get(1)).toBeUndefined();
    expect(held.every((b) => b === 0)).toBe(true);
  });

  it('bounds the number of entries, dropping the oldest', () => {
    const cache = new DataKeyCache(60_000, 2);
    cache.set(1, Buffer.alloc(1));
    cache.set(2, Buffer.alloc(1));
    cache.set(3, Buffer.alloc(1));
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('caches nothing with TTL 0', () => {
    const cache = new DataKeyCache(0, 10);
    cache.set(1, Buffer.alloc(1));
    expect(cache.get(1)).toBeUndefined();
  });
});
