import { ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; stream sequences stay far below 2^53, so a number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
