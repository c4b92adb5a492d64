/**
 * Typed errors of the X.509 library. `X509InputError` is the caller's fault (a bad subject, SAN,
 * date, key, CSR, PFX or password): its message names the problem and is safe to show, it never
 * contains key material. `X509Error` is ours or the signer's (an HSM returning a signature of the
 * wrong size): callers should treat it as internal.
 */
export class X509InputError extends Error {
  /** Maps onto the wire error code the vault replies with for bad caller input. */
  readonly code = 'BadParameter' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'X509InputError';
  }
}

export class X509Error extends Error {
  readonly code = 'X509Error' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'X509Error';
  }
}

/** Runs `parse`; any failure of the underlying ASN.1 library becomes an X509InputError naming `what`. */
export function parseOrReject<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof X509InputError) throw e;
    throw new X509InputError(`${what} is not valid DER/PEM`, { cause: e });
  }
}
