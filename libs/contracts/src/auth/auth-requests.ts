import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageRequest } from '../wire/requests';
import { AUDIT_VERIFY_PAGE_MAX, CREDENTIAL_ID, PRINCIPAL_ID, PRINCIPAL_NAME, ROLE_ASSIGNMENT_ID } from './auth-ids';


/** Exchange a credential for an access token: a client secret, or a signed challenge (Ed25519). */
export class TokenRequest {
  @IsString() @Matches(PRINCIPAL_ID, { message: 'clientId must be a principal id (p-<16 hex>)' })
  clientId!: string;

  @ValidateIf((o: TokenRequest) => o.nonce === undefined) @IsString() @MinLength(16) @MaxLength(256)
  clientSecret?: string;

  @ValidateIf((o: TokenRequest) => o.clientSecret === undefined) @IsString() @MaxLength(128)
  nonce?: string;

  /** base64 Ed25519 signature over the UTF-8 bytes of `nonce`. */
  @ValidateIf((o: TokenRequest) => o.nonce !== undefined) @IsBase64()
  signature?: string;
}

export class ChallengeRequest {
  @IsString() @Matches(PRINCIPAL_ID, { message: 'clientId must be a principal id (p-<16 hex>)' })
  clientId!: string;
}

export class CreatePrincipalRequest {
  @IsString() @Matches(PRINCIPAL_NAME, { message: 'name must be 1-128 characters: letters, digits, . _ @ -' })
  name!: string;

  @IsIn(['user', 'servicePrincipal'])
  type!: 'user' | 'servicePrincipal';
}

export class PrincipalIdRequest {
  @IsString() @Matches(PRINCIPAL_ID, { message: 'id must be a principal id (p-<16 hex>)' })
  id!: string;
}

export class AddCredentialRequest extends PrincipalIdRequest {
  @IsIn(['secret', 'ed25519'])
  kind!: 'secret' | 'ed25519';

  /** For ed25519: the public key as a NATS nkey (U…) or base64 of the 32 raw bytes. */
  @ValidateIf((o: AddCredentialRequest) => o.kind === 'ed25519') @IsString() @MaxLength(128)
  publicKey?: string;

  @IsOptional() @IsISO8601({ strict: true })
  expires?: string;
}

export class RemoveCredentialRequest extends PrincipalIdRequest {
  @IsString() @Matches(CREDENTIAL_ID, { message: 'credentialId must be c-<16 hex>' })
  credentialId!: string;
}

export class CreateRoleAssignmentRequest {
  @IsString() @Matches(PRINCIPAL_ID, { message: 'principalId must be a principal id (p-<16 hex>)' })
  principalId!: string;

  @IsString() @MaxLength(128)
  role!: string;

  @IsString() @MaxLength(300)
  scope!: string;
}

export class ListRoleAssignmentsRequest extends PageRequest {
  @IsOptional() @IsString() @Matches(PRINCIPAL_ID)
  principalId?: string;

  @IsOptional() @IsString() @MaxLength(300)
  scope?: string;
}

export class RoleAssignmentIdRequest {
  @IsString() @Matches(ROLE_ASSIGNMENT_ID, { message: 'id must be ra-<16 hex>' })
  id!: string;
}

export class AuditQueryRequest extends PageRequest {
  @IsOptional() @IsString() @Matches(PRINCIPAL_ID) principal?: string;
  @IsOptional() @IsString() @MaxLength(300) objectId?: string;
  @IsOptional() @IsString() @MaxLength(128) action?: string;
  @IsOptional() @IsIn(['succeeded', 'failed', 'denied', 'unauthenticated']) outcome?: string;
  @IsOptional() @IsISO8601({ strict: true }) since?: string;
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
}

export class AuditUsageRequest {
  /** An object id such as /vaults/prod/secrets/db. */
  @IsString() @MaxLength(300)
  objectId!: string;
}

/**
 * One page of `audit verify`: the trail is verified in pages the client drives (each bounded by
 * `maxRecords`), so no request runs long. A page starts at `fromSequence` (anchored on the stored
 * chain before it) or right after a signed checkpoint (`fromCheckpoint`: its sequence, or
 * 'latest'; its HSM signature is checked, then its head is trusted), and covers stream sequences up
 * to `upTo` (default: the stream's last sequence when the first page starts).
 */
export class AuditVerifyRequest {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  fromSequence?: number;

  @IsOptional() @Matches(/^(latest|[1-9][0-9]{0,15})$/)
  fromCheckpoint?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  upTo?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(AUDIT_VERIFY_PAGE_MAX)
  maxRecords?: number;
}
