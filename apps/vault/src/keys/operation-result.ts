import { KeyOperationResult } from '@coffer/contracts';

/** A cipher operation's reply: binary members as base64url, absent ones left out. */
export function operationResult(kid: string, out: { value: Buffer; iv?: Buffer; tag?: Buffer; aad?: Buffer }): KeyOperationResult {
  return {
    kid,
    value: out.value.toString('base64url'),
    ...(out.iv && { iv: out.iv.toString('base64url') }),
    ...(out.tag && { tag: out.tag.toString('base64url') }),
    ...(out.aad && { aad: out.aad.toString('base64url') }),
  };
}
