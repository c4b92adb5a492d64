import { randomBytes } from 'node:crypto';
import { X509InputError } from './errors';

/**
 * A fresh serial number: 16 random bytes with the top bit cleared (a positive INTEGER, RFC 5280
 * §4.1.2.2 allows up to 20 octets) and the next bit set so that every serial has the same length:
 * 126 bits of randomness, well over the CA/Browser Forum's 64.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** A caller's serial number (hex): positive, non-zero, at most 20 octets; returned lower-case without leading zeros. */
export function checkedSerialNumber(hex: string): string {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]+$/.test(hex)) throw new X509InputError(`serial number must be hex, not '${String(hex)}'`);
  const trimmed = hex.toLowerCase().replace(/^0+/, '');
  if (trimmed === '') throw new X509InputError('serial number must not be zero');
  // 20 octets including the sign octet a value with the top bit set needs.
  const octets = Math.ceil(trimmed.length / 2) + (trimmed.length % 2 === 0 && parseInt(trimmed[0], 16) >= 8 ? 1 : 0);
  if (octets > 20) throw new X509InputError('serial number must fit in 20 octets');
  return trimmed.length % 2 ? `0${trimmed}` : trimmed;
}
