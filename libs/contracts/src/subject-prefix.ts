/** Public request subjects are versioned: `coffer.v1.…` (a leaf, so the kinds' files can use it without importing the subject table). */
export const PUBLIC_PREFIX = 'coffer.v1';
