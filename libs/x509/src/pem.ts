import { X509InputError } from './errors';

/** One `-----BEGIN X-----` block of a PEM text. */
export interface PemBlock {
  label: string;
  der: Buffer;
}

/** Input that is either DER bytes or PEM text (as a string or as bytes of ASCII). */
export type DerOrPem = Buffer | Uint8Array | string;

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** PEM text of `der` with 64-character lines (RFC 7468 strict form, what OpenSSL writes). */
export function pemOf(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every PEM block in `text`, in order. Text between blocks (OpenSSL's "Bag Attributes" etc.) is ignored. */
export function splitPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2].replace(/\s+/g, '');
    // RFC 7468 text may carry RFC 1421 headers ("Proc-Type: ...", legacy encrypted keys): not supported.
    if (/:/.test(m[2])) throw new X509InputError(`PEM block '${m[1]}' has headers (legacy encryption is not supported)`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) {
      throw new X509InputError(`PEM block '${m[1]}' is not valid base64`);
    }
    blocks.push({ label: m[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** The DER of the first PEM block (with `label`, when given). */
export function derOf(pem: string, label?: string): Buffer {
  const block = splitPem(pem).find((b) => label === undefined || b.label === label);
  if (!block) throw new X509InputError(label ? `no '${label}' PEM block found` : 'no PEM block found');
  return block.der;
}

/** All certificates (DER) of a PEM bundle, in order. */
export function splitCertificates(pemBundle: string): Buffer[] {
  return splitPem(pemBundle)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.der);
}

/** DER bytes from DER-or-PEM input; PEM must carry `label` (for example CERTIFICATE). */
export function toDer(input: DerOrPem, label: string): Buffer {
  if (typeof input === 'string') return derOf(input, label);
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // A DER structure starts with a SEQUENCE tag (0x30); PEM starts with "-----" (possibly after whitespace).
  if (bytes.length > 0 && bytes[0] !== 0x30 && bytes.toString('latin1', 0, 64).includes('-----BEGIN')) {
    return derOf(bytes.toString('latin1'), label);
  }
  if (bytes.length === 0) throw new X509InputError(`empty input where a ${label.toLowerCase()} was expected`);
  return Buffer.from(bytes);
}
