/**
 * Byte-level helpers for EC public points and ECDSA signatures as PKCS#11 hands them out.
 * Pure functions: unit-tested without an HSM.
 */

/**
 * The uncompressed point (0x04‖X‖Y) inside a CKA_EC_POINT value. PKCS#11 says the value is the
 * DER encoding of an OCTET STRING holding the point; some modules return the bare point, which
 * is accepted too. Anything else (a compressed point, a wrong size) is undefined.
 */
export function ecPointFromAttribute(value: Buffer, fieldBytes: number): Buffer | undefined {
  const pointBytes = 1 + 2 * fieldBytes;
  let point = value;
  if (value.length !== pointBytes) {
    const body = derOctetString(value);
    if (!body) return undefined;
    point = body;
  }
  return point.length === pointBytes && point[0] === 0x04 ? point : undefined;
}

/** The contents of a DER OCTET STRING that makes up all of `der`, or undefined. */
function derOctetString(der: Buffer): Buffer | undefined {
  if (der.length < 2 || der[0] !== 0x04) return undefined;
  let length = der[1];
  let offset = 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    if (lengthBytes < 1 || lengthBytes > 2 || der.length < 2 + lengthBytes) return undefined;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = (length << 8) | der[2 + i];
    offset = 2 + lengthBytes;
  }
  return der.length === offset + length ? der.subarray(offset) : undefined;
}

/** x and y (base64url) of an uncompressed point. */
export function pointCoordinates(point: Buffer, fieldBytes: number): { x: string; y: string } {
  return {
    x: point.subarray(1, 1 + fieldBytes).toString('base64url'),
    y: point.subarray(1 + fieldBytes, 1 + 2 * fieldBytes).toString('base64url'),
  };
}

/**
 * A raw ECDSA signature as r‖s with each half left-padded to fieldBytes (the JWS form). PKCS#11
 * already pads both halves to the order's length, so this is normally the identity; a module that
 * returns shorter halves gets them padded. Undefined when the input cannot be a signature.
 */
export function normaliseRawSignature(signature: Buffer, fieldBytes: number): Buffer | undefined {
  if (signature.length === 2 * fieldBytes) return signature;
  if (signature.length === 0 || signature.length > 2 * fieldBytes || signature.length % 2 !== 0) return undefined;
  const half = signature.length / 2;
  const out = Buffer.alloc(2 * fieldBytes);
  signature.subarray(0, half).copy(out, fieldBytes - half);
  signature.subarray(half).copy(out, 2 * fieldBytes - half);
  return out;
}
