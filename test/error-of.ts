import { CofferRequestError } from '@coffer/client';

/** The error a request fails with; the test fails if it succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<CofferRequestError> {
  try {
    await p;
  } catch (e) {
    return e as CofferRequestError;
  }
  throw new Error('expected the request to fail');
}
