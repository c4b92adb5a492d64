import { badParameter, InnerErrorCodes } from '@coffer/contracts';
import { X509InputError } from '@coffer/x509';

/** Runs X.509 work on caller input: the library's input errors become BadParameter naming the problem. */
export async function x509Input<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof X509InputError) throw badParameter(`${what}: ${err.message}.`, InnerErrorCodes.InvalidCertificate);
    throw err;
  }
}
