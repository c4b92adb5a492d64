import { FairQueue } from './fair-queue';

/** A job that finishes when the test says so, recording when it started. */
function controlled(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { job: () => (log.push(name), done.then(() => name)), finish };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('FairQueue', () => {
  it('runs at most `concurrency` jobs at once', async () => {
    const q = new FairQueue(2);
    const log: string[] = [];
    const jobs = ['a1', 'a2', 'a3'].map((n) => controlled(log, n));
    const results = jobs.map((j) => q.run('a', j.job));
    await flush();
    expect(log).toEqual(['a1', 'a2']);
    expect([q.running, q.queued]).toEqual([2, 1]);
    jobs[0].finish();
    await flush();
    expect(log).toEqual(['a1', 'a2', 'a3']);
    jobs[1].finish();
    jobs[2].finish();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'a3']);
    expect([q.running, q.queued]).toEqual([0, 0]);
  });

  it('takes waiting jobs round-robin across keys: a late key waits one turn, not the backlog', async () => {
    const q = new FairQueue(1);
    const log: string[] = [];
    const jobs = new Map<string, ReturnType<typeof controlled>>();
    const add = (key: string, name: string) => {
      const j = controlled(log, name);
      jobs.set(name, j);
      void q.run(key, j.job);
    };
    for (let i = 1; i <= 5; i++) add('attacker', `x${i}`);
    add('good', 'g1');
    add('other', 'o1');
    for (const name of ['x1', 'x2', 'g1', 'o1', 'x3', 'x4', 'x5']) {
      await flush();
      expect(log[log.length - 1]).toBe(name);
      jobs.get(name)!.finish();
    }
  });

  it('passes on a job\'s failure (also a synchronous throw) and goes on with the next', async () => {
    const q = new FairQueue(1);
    await expect(q.run('a', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(q.run('a', () => { throw new Error('sync'); })).rejects.toThrow('sync');
    expect(await q.run('a', async () => 'ok')).toBe('ok');
  });

  it('keeps its bookkeeping bounded over many turns', async () => {
    const q = new FairQueue(3);
    const all = Array.from({ length: 5000 }, (_, i) => q.run(`k${i % 7}`, async () => i));
    expect((await Promise.all(all)).length).toBe(5000);
    expect((q as unknown as { turns: string[] }).turns.length).toBeLessThan(2048);
  });
});
