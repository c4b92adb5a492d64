import { CofferError, ErrorCodes, KeyBatchResult } from '@coffer/contracts';

type Item = KeyBatchResult['items'][number];

const errorItem = (err: unknown): Item => {
  if (err instanceof CofferError) return { error: { code: err.code, message: err.message } };
  throw err;
};

/**
 * The items of a batch reply, in request order: items refused in the vault get their error right
 * away; the rest go to the worker in one call and fill the remaining slots in order. An item's
 * CofferError fails that item only; anything else fails the request.
 */
export class BatchSlots {
  private readonly slots: (Item | undefined)[];

  constructor(count: number) {
    this.slots = new Array<Item | undefined>(count).fill(undefined);
  }

  /** Runs an item's own checks; a refusal fills its slot, otherwise the item goes to the worker. */
  check<T>(index: number, prepare: () => T): T | undefined {
    try {
      return prepare();
    } catch (err) {
      this.slots[index] = errorItem(err);
      return undefined;
    }
  }

  /** Settles an item entirely in the vault. */
  async settle(index: number, run: () => Promise<Item>): Promise<void> {
    try {
      this.slots[index] = await run();
    } catch (err) {
      this.slots[index] = errorItem(err);
    }
  }

  /** The prepared items still waiting for the worker, in order. */
  pending<T>(prepared: (T | undefined)[]): T[] {
    return prepared.filter((p, i): p is T => p !== undefined && this.slots[i] === undefined);
  }

  /** Fills the open slots, in order, with the worker's results. */
  fill(results: Item[]): void {
    let next = 0;
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] === undefined) this.slots[i] = results[next++];
  }

  items(): Item[] {
    return this.slots.map((s) => s ?? { error: { code: ErrorCodes.InternalError, message: 'The crypto-worker returned too few results.' } });
  }
}
