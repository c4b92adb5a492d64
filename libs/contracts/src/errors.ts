import { CONTRACT_KINDS, KindField, KindsWith, kindsWith } from './kinds/contract-kinds';

type NotFoundCode = KindField<'notFound'>['code'];
const notFoundCodes = Object.fromEntries(kindsWith('notFound').map(([, { code }]) => [code, code])) as { readonly [C in NotFoundCode]: C };

/**
 * Error codes on the wire, modelled on Azure Key Vault's. A reply that failed is
 * `{"error":{"code","message","innererror"?:{"code"}}}`.
 */
export const ErrorCodes = {
  BadParameter: 'BadParameter',
  // VaultNotFound, SecretNotFound, KeyNotFound, CertificateNotFound: each kind's `notFound` in CONTRACT_KINDS.
  ...notFoundCodes,
  /** Any other object that does not exist (principal, credential, role assignment); innererror says which. */
  NotFound: 'NotFound',
  Conflict: 'Conflict',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  Throttled: 'Throttled',
  ServiceUnavailable: 'ServiceUnavailable',
  InternalError: 'InternalError',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export const InnerErrorCodes = {
  ObjectIsDeletedButRecoverable: 'ObjectIsDeletedButRecoverable',
  VersionMismatch: 'VersionMismatch',
  ObjectAlreadyExists: 'ObjectAlreadyExists',
  TooMuchContention: 'TooMuchContention',
  SecretDisabled: 'SecretDisabled',
  PurgeProtected: 'PurgeProtected',
  NotDeleted: 'NotDeleted',
  MalformedRequest: 'MalformedRequest',
  UnknownField: 'UnknownField',
  ValueTooLarge: 'ValueTooLarge',
  CryptoWorkerUnavailable: 'CryptoWorkerUnavailable',
  /** ServiceUnavailable: JetStream (event log or keyring) did not accept or answer in time. */
  EventLogUnavailable: 'EventLogUnavailable',
  /** ServiceUnavailable: the write was recorded but is not readable yet; retry with the same request id to confirm. */
  ProjectionLagging: 'ProjectionLagging',
  /** ServiceUnavailable: the projector cannot apply changes (database failure, see status); nothing was recorded, retry later. */
  ReadModelUnavailable: 'ReadModelUnavailable',
  InvalidBackup: 'InvalidBackup',
  PurgeProtectionIrreversible: 'PurgeProtectionIrreversible',
  ForbiddenByRbac: 'ForbiddenByRbac',
  TokenMissing: 'TokenMissing',
  TokenInvalid: 'TokenInvalid',
  TokenExpired: 'TokenExpired',
  TokenRevoked: 'TokenRevoked',
  InvalidCredential: 'InvalidCredential',
  NonceInvalid: 'NonceInvalid',
  PrincipalDisabled: 'PrincipalDisabled',
  PrincipalNotFound: 'PrincipalNotFound',
  RoleAssignmentNotFound: 'RoleAssignmentNotFound',
  CredentialNotFound: 'CredentialNotFound',
  AuditUnavailable: 'AuditUnavailable',
  // Keys: why a key refused an operation or a request named an impossible one.
  KeyDisabled: 'KeyDisabled',
  KeyExpired: 'KeyExpired',
  KeyNotYetValid: 'KeyNotYetValid',
  KeyOperationNotAllowed: 'KeyOperationNotAllowed',
  AlgorithmNotSupported: 'AlgorithmNotSupported',
  InvalidDigestLength: 'InvalidDigestLength',
  InvalidKeyParameters: 'InvalidKeyParameters',
  InvalidRotationPolicy: 'InvalidRotationPolicy',
  MissingParameter: 'MissingParameter',
  InvalidBase64Url: 'InvalidBase64Url',
  // Lifecycle: why an expiry notice was refused; dev-only requests on a production deployment.
  NoExpiry: 'NoExpiry',
  NotYetDue: 'NotYetDue',
  AlreadyNotified: 'AlreadyNotified',
  DevModeDisabled: 'DevModeDisabled',
  // Certificates
  InvalidCertificatePolicy: 'InvalidCertificatePolicy',
  InvalidCertificate: 'InvalidCertificate',
  IssuerNotFound: 'IssuerNotFound',
  PendingOperationNotFound: 'PendingOperationNotFound',
  CertificateOperationInProgress: 'CertificateOperationInProgress',
  ContactsNotFound: 'ContactsNotFound',
  ManagedByCertificate: 'ManagedByCertificate',
  PublicKeyMismatch: 'PublicKeyMismatch',
  // Abuse resistance and bounded input (security hardening).
  /** Throttled: too many requests from this caller (or anonymous callers) in the window; retry after `retryAfterMs`. */
  TooManyRequests: 'TooManyRequests',
  /** Throttled: too many failed credential exchanges for this client id; locked out until `retryAfterMs` has passed. */
  CredentialLockedOut: 'CredentialLockedOut',
  /** Conflict: this request id was already used by the same principal for a different request body. */
  RequestIdReused: 'RequestIdReused',
  /** BadParameter: the request is larger than the configured maximum (checked before parsing). */
  RequestTooLarge: 'RequestTooLarge',
  /** BadParameter: the JSON nests deeper, or has more keys, than the limits allow (checked before parsing). */
  RequestTooComplex: 'RequestTooComplex',
  /** BadParameter: a rotation-hook subject outside `coffer.hooks.<vault>.…`. */
  InvalidHookSubject: 'InvalidHookSubject',
  /** ServiceUnavailable: the audit stream or chain store reached its configured limit (fail closed). */
  AuditStoreFull: 'AuditStoreFull',
} as const;
export type InnerErrorCode = (typeof InnerErrorCodes)[keyof typeof InnerErrorCodes];

export interface WireError {
  code: ErrorCode;
  message: string;
  innererror?: { code: InnerErrorCode | string };
  /** With Throttled (HTTP 429's Retry-After): how long to wait before trying again. */
  retryAfterMs?: number;
}

export interface WireErrorReply {
  error: WireError;
}

export function isWireErrorReply(x: unknown): x is WireErrorReply {
  return typeof x === 'object' && x !== null && 'error' in x && typeof (x as WireErrorReply).error?.code === 'string';
}

/**
 * An error a caller caused or may see. Its message is safe to send: never put a secret value,
 * key material or an internal detail in it. Anything else thrown is an internal error and
 * reaches the caller only as `InternalError`.
 */
export class CofferError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly innerCode?: InnerErrorCode | string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'CofferError';
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** With Throttled: how long the caller should wait before retrying. */
  readonly retryAfterMs?: number;

  toWire(): WireError {
    const wire: WireError = this.innerCode
      ? { code: this.code, message: this.message, innererror: { code: this.innerCode } }
      : { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) wire.retryAfterMs = this.retryAfterMs;
    return wire;
  }
}

export const badParameter = (message: string, inner?: InnerErrorCode) =>
  new CofferError(ErrorCodes.BadParameter, message, inner);
export const conflict = (message: string, inner: InnerErrorCode) => new CofferError(ErrorCodes.Conflict, message, inner);
/** A missing object of a kind that declares `notFound`: `<Noun> '<name>' [version '<version>'] was not found.` with the kind's code. */
export function objectNotFound(kind: KindsWith<'notFound'>, name: string, version?: string): CofferError {
  const { code, noun } = CONTRACT_KINDS[kind].notFound;
  return new CofferError(code, version ? `${noun} '${name}' version '${version}' was not found.` : `${noun} '${name}' was not found.`);
}
export const vaultNotFound = (vault: string) => objectNotFound('vault', vault);
export const secretNotFound = (name: string, version?: string) => objectNotFound('secret', name, version);
export const keyNotFound = (name: string, version?: string) => objectNotFound('key', name, version);
export const notFound = (message: string, inner: InnerErrorCode) => new CofferError(ErrorCodes.NotFound, message, inner);
export const unauthorized = (message: string, inner: InnerErrorCode) => new CofferError(ErrorCodes.Unauthorized, message, inner);
export const forbidden = (message: string, inner: InnerErrorCode) => new CofferError(ErrorCodes.Forbidden, message, inner);
/** Azure's 429: the caller should wait `retryAfterMs` (rounded up to whole milliseconds) and retry. */
export const throttled = (message: string, inner: InnerErrorCode, retryAfterMs: number) =>
  new CofferError(ErrorCodes.Throttled, message, inner, { retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) });
export const serviceUnavailable = (message: string, inner?: InnerErrorCode) =>
  new CofferError(ErrorCodes.ServiceUnavailable, message, inner);
export const certificateNotFound = (name: string, version?: string) => objectNotFound('certificate', name, version);
