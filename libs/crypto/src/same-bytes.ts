import { timingSafeEqual } from 'node:crypto';

/** Equal length and equal bytes, compared in constant time. */
export const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
