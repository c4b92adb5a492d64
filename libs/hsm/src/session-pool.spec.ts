import { HsmErrorCodes } from './hsm.errors';
import { SessionPool } from './session-pool';

const tick = () => new Promise((r) => setImmediate(r));

describe('SessionPool', () => {
  it('refuses an empty pool', () => {
    expect(() => new SessionPool<string>([])).toThrow(RangeError);
  });

  it('hands out distinct sessions up to its size, then queues callers in order', async () => {
    const pool = new SessionPool(['a', 'b']);
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect(new Set([first, second])).toEqual(new Set(['a', 'b']));
    expect(pool.inFlight).toBe(2);

    const order: string[] = [];
    const third = pool.acquire().then((s) => (order.push('third'), s));
    const fourth = pool.acquire().then((s) => (order.push('fourth'), s));
    await tick();
    expect(order).toEqual([]);
    expect(pool.waiting).toBe(2);

    pool.release(first);
    expect(await third).toBe(first);
    pool.release(second);
    expect(await fourth).toBe(second);
    expect(order).toEqual(['third', 'fourth']);
    expect(pool.inFlight).toBe(2);
    expect(pool.waiting).toBe(0);
  });

  it('never lets two operations share a session', async () => {
    const pool = new SessionPool(['a', 'b', 'c']);
    const inUse = new Set<string>();
    let peak = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pool.use(async (s) => {
          expect(inUse.has(s)).toBe(false);
          inUse.add(s);
          peak = Math.max(peak, inUse.size);
          for (let k = 0; k < i % 4; k++) await tick();
          inUse.delete(s);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(pool.inFlight).toBe(0);
  });

  it('gives the session back when the operation throws', async () => {
    const pool = new SessionPool(['only']);
    await expect(pool.use(() => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(pool.inFlight).toBe(0);
    await expect(pool.use((s) => s)).resolves.toBe('only');
  });

  it('on close fails waiters and new callers, and waits for in-flight work', async () => {
    const pool = new SessionPool(['only']);
    const held = await pool.acquire();
    const waiter = pool.acquire();
    let closed = false;
    const closing = pool.close().then((sessions) => ((closed = true), sessions));
    await expect(waiter).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
    await expect(pool.acquire()).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
    await tick();
    expect(closed).toBe(false);
    pool.release(held);
    await expect(closing).resolves.toEqual(['only']);
  });
});
