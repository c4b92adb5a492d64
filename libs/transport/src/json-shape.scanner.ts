import { InnerErrorCodes, RequestLimits } from '@coffer/contracts';

/** The caps a request body must respect before it is parsed. */
export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
  /** Object keys in the whole body. */
  maxKeys: number;
  maxKeysPerObject: number;
  /** Array elements in the whole body. */
  maxArrayItems: number;
}

export const defaultJsonLimits = (): JsonLimits => ({
  maxBytes: RequestLimits.maxBytesDefault,
  maxDepth: RequestLimits.maxDepthDefault,
  maxKeys: RequestLimits.maxKeysDefault,
  maxKeysPerObject: RequestLimits.maxKeysPerObject,
  maxArrayItems: RequestLimits.maxArrayItems,
});

export type ScanRefusal = {
  inner: typeof InnerErrorCodes.RequestTooLarge | typeof InnerErrorCodes.RequestTooComplex | typeof InnerErrorCodes.MalformedRequest;
  reason: string;
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OBJECT = 1;
const ARRAY = 2;
/** An escaped forbidden key is at most 6 bytes per character (`\u005f`); longer keys cannot be one. */
const FORBIDDEN_KEY_MAX_RAW = 6 * Math.max(...RequestLimits.forbiddenKeys.map((k) => k.length));
const FORBIDDEN = new Set<string>(RequestLimits.forbiddenKeys);

const tooComplex = (reason: string): ScanRefusal => ({ inner: InnerErrorCodes.RequestTooComplex, reason });
const malformed = (reason: string): ScanRefusal => ({ inner: InnerErrorCodes.MalformedRequest, reason });

/**
 * One linear pass over the raw bytes of a JSON text, before JSON.parse builds any object: refuses
 * bodies over the size limit, nesting deeper than maxDepth, more keys (per object or in all) or
 * array elements than allowed, and prototype-reaching keys (`__proto__`, `constructor`,
 * `prototype`, also when written with escapes). Strings are skipped with Buffer.indexOf, so the
 * cost is a few milliseconds per MiB whatever the shape. It does not check the grammar (JSON.parse
 * does, after): for valid JSON its counts are exact; for invalid JSON it may count oddly, which is
 * harmless since the body is refused either way. Returns undefined when the body is within limits.
 */
export function scanJson(bytes: Uint8Array, limits: JsonLimits): ScanRefusal | undefined {
  if (bytes.length > limits.maxBytes) {
    return { inner: InnerErrorCodes.RequestTooLarge, reason: `the body is ${bytes.length} bytes; the limit is ${limits.maxBytes} bytes` };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const kinds = new Uint8Array(limits.maxDepth + 1);
  const keysAt = new Uint32Array(limits.maxDepth + 1);
  let depth = 0;
  let keys = 0;
  let items = 0;
  // In an object: the next string is a key. In an array: the next value is a new element.
  let expectKey = false;
  let expectItem = false;

  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (expectItem) {
      expectItem = false;
      if (c !== 0x5d && ++items > limits.maxArrayItems) return tooComplex(`more than ${limits.maxArrayItems} array elements (the limit)`);
    }
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        if (depth >= limits.maxDepth) return tooComplex(`nesting deeper than ${limits.maxDepth} levels (the limit)`);
        depth++;
        kinds[depth] = c === 0x7b ? OBJECT : ARRAY;
        keysAt[depth] = 0;
        expectKey = c === 0x7b;
        expectItem = c === 0x5b;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (depth === 0) return malformed('the body is not valid JSON');
        depth--;
        expectKey = false;
        break;
      case 0x2c: // ,
        expectKey = kinds[depth] === OBJECT;
        expectItem = kinds[depth] === ARRAY;
        break;
      case QUOTE: {
        const end = closingQuote(buf, i + 1);
        if (end < 0) return malformed('the body is not valid JSON (unterminated string)');
        if (expectKey && depth > 0) {
          expectKey = false;
          if (++keysAt[depth] > limits.maxKeysPerObject) return tooComplex(`an object has more than ${limits.maxKeysPerObject} keys (the limit)`);
          if (++keys > limits.maxKeys) return tooComplex(`more than ${limits.maxKeys} keys in all (the limit)`);
          const refusal = forbiddenKey(buf, i, end);
          if (refusal) return refusal;
        }
        i = end;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** Index of the quote that closes a string whose content starts at `from`, or -1. */
function closingQuote(buf: Buffer, from: number): number {
  let q = buf.indexOf(QUOTE, from);
  while (q >= 0) {
    let slashes = 0;
    for (let j = q - 1; j >= from && buf[j] === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    q = buf.indexOf(QUOTE, q + 1);
  }
  return -1;
}

/** The key between the quotes at `open` and `close`, refused if it names a prototype. */
function forbiddenKey(buf: Buffer, open: number, close: number): ScanRefusal | undefined {
  const length = close - open - 1;
  if (length > FORBIDDEN_KEY_MAX_RAW || length < 9 /* 'prototype'.length, the shortest */) return undefined;
  const raw = buf.toString('utf8', open, close + 1);
  let key: unknown = raw.slice(1, -1);
  if (raw.includes('\\')) {
    try {
      key = JSON.parse(raw);
    } catch {
      return malformed('the body is not valid JSON (bad escape in a key)');
    }
  }
  return typeof key === 'string' && FORBIDDEN.has(key) ? malformed(`the key '${key}' is not allowed`) : undefined;
}
