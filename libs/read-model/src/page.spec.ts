import { toPage } from './page';

describe('toPage', () => {
  it('drops the extra row and reports a next page', () => {
    expect(toPage([1, 2, 3], 2)).toEqual({ rows: [1, 2], hasMore: true });
    expect(toPage([1, 2], 2)).toEqual({ rows: [1, 2], hasMore: false });
    expect(toPage([], 2)).toEqual({ rows: [], hasMore: false });
  });
});
