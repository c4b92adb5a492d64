import { Page } from '@coffer/contracts';
import { iteratePages, take } from './paging';

/** A fake page function over `pages`, recording the tokens it was called with. */
function fakePages<T>(pages: T[][]) {
  const calls: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined): Promise<Page<T>> => {
    calls.push(token);
    const index = token === undefined ? 0 : Number(token.replace('t', ''));
    const next = index + 1 < pages.length ? `t${index + 1}` : undefined;
    return next ? { value: pages[index], continuationToken: next } : { value: pages[index] };
  };
  return { fetchPage, calls };
}

describe('iteratePages', () => {
  it('yields every item of every page in order, passing each continuation token on', async () => {
    const { fetchPage, calls } = fakePages([[1, 2], [3], [4, 5]]);
    expect(await take(iteratePages(fetchPage))).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toEqual([undefined, 't1', 't2']);
  });

  it('handles an empty list and empty pages in between', async () => {
    expect(await take(iteratePages(fakePages([[]]).fetchPage))).toEqual([]);
    expect(await take(iteratePages(fakePages([[1], [], [2]]).fetchPage))).toEqual([1, 2]);
  });

  it('fetches a page only when the caller gets that far', async () => {
    const { fetchPage, calls } = fakePages([[1, 2], [3], [4]]);
    expect(await take(iteratePages(fetchPage), 2)).toEqual([1, 2]);
    expect(calls).toEqual([undefined]);
  });

  it('treats an empty continuation token as the last page', async () => {
    const fetchPage = async (): Promise<Page<number>> => ({ value: [1], continuationToken: '' });
    expect(await take(iteratePages(fetchPage))).toEqual([1]);
  });

  it('stops with an error instead of looping when a token repeats', async () => {
    const fetchPage = async (): Promise<Page<number>> => ({ value: [1], continuationToken: 'same' });
    await expect(take(iteratePages(fetchPage))).rejects.toMatchObject({ code: 'InternalError', innerCode: 'MalformedReply' });
  });

  it('propagates a failing page', async () => {
    const fetchPage = async (token: string | undefined): Promise<Page<number>> => {
      if (token) throw new Error('page 2 failed');
      return { value: [1], continuationToken: 'x' };
    };
    await expect(take(iteratePages(fetchPage))).rejects.toThrow('page 2 failed');
  });
});

describe('take', () => {
  it('returns nothing for a limit of 0 and everything without a limit', async () => {
    const items = () => iteratePages(fakePages([[1, 2, 3]]).fetchPage);
    expect(await take(items(), 0)).toEqual([]);
    expect(await take(items())).toEqual([1, 2, 3]);
  });
});
