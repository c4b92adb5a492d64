import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { OBJECT_NAME, VERSION_ID } from '../limits';
import { PageRequest, SecretAttributesRequest } from '../wire/requests';
import { IsTags } from '../wire/tags.validator';
import { CURVES, Curve } from '../keys/key-algorithms';
import {
  CERTIFICATE_CONTENT_TYPES, CERTIFICATE_KEY_TYPES, CertificateActionType, CertificateContentType, CertificateKeyType,
} from './certificate-policy';
import { REVOCATION_REASONS } from './revocation-reasons';

/**
 * Request bodies of the certificate, issuer and contacts subjects, with Azure Key Vault's field
 * names. Shapes are checked here (unknown members, such as an unknown SAN type, are refused by the
 * validation pipe); what a value means (a subject that parses, SANs that are names, a validity that
 * fits) is the domain's check (certificate-policy.rules).
 */
const NAME_MESSAGE = { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' };
const VERSION_MESSAGE = { message: 'version must be 32 lowercase hex characters' };
const IF_MATCH = /^([0-9a-f]{32}|[0-9]{1,16})$/;
const LIST_MAX = 100;
const PEM_OR_B64_MAX = 256 * 1024;

export class CertificateNameRequest {
  @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  name!: string;
}

export class KeyPropertiesRequest {
  @IsIn(CERTIFICATE_KEY_TYPES)
  kty!: CertificateKeyType;

  @IsOptional() @IsInt()
  key_size?: number;

  @IsOptional() @IsIn(CURVES)
  crv?: Curve;

  @IsOptional() @IsBoolean()
  exportable?: boolean;

  @IsOptional() @IsBoolean()
  reuse_key?: boolean;
}

export class SecretPropertiesRequest {
  @IsIn(CERTIFICATE_CONTENT_TYPES)
  contentType!: CertificateContentType;
}

const stringList = () => [IsOptional(), IsArray(), ArrayMaxSize(LIST_MAX), IsString({ each: true }), MaxLength(1024, { each: true })];
function StringList(): PropertyDecorator {
  return (target, key) => stringList().forEach((d) => d(target, key));
}

export class SansRequest {
  @StringList() dns_names?: string[];
  @StringList() emails?: string[];
  @StringList() upns?: string[];
  @StringList() ip_addresses?: string[];
  @StringList() uris?: string[];
}

export class X509PropertiesRequest {
  @IsString() @MaxLength(1024)
  subject!: string;

  @IsOptional() @ValidateNested() @Type(() => SansRequest)
  sans?: SansRequest;

  @StringList()
  ekus?: string[];

  @StringList()
  key_usage?: string[];

  @IsInt()
  validity_months!: number;
}

export class LifetimeTriggerRequest {
  @IsOptional() @IsInt()
  lifetime_percentage?: number;

  @IsOptional() @IsInt()
  days_before_expiry?: number;
}

export class LifetimeActionKindRequest {
  @IsIn(['AutoRenew', 'EmailContacts'])
  action_type!: CertificateActionType;
}

export class CertificateLifetimeActionRequest {
  @IsDefined() @ValidateNested() @Type(() => LifetimeTriggerRequest)
  trigger!: LifetimeTriggerRequest;

  @IsDefined() @ValidateNested() @Type(() => LifetimeActionKindRequest)
  action!: LifetimeActionKindRequest;
}

export class IssuerParametersRequest {
  @IsString() @Matches(OBJECT_NAME, { message: 'issuer name must be Self, Unknown or an issuer name (^[0-9a-zA-Z-]{1,127}$)' })
  name!: string;

  @IsOptional() @IsString() @MaxLength(64)
  cert_type?: string;
}

/** A policy as sent: every part optional (absent parts take the default policy's values). */
export class CertificatePolicyRequest {
  @IsOptional() @ValidateNested() @Type(() => KeyPropertiesRequest)
  key_props?: KeyPropertiesRequest;

  @IsOptional() @ValidateNested() @Type(() => SecretPropertiesRequest)
  secret_props?: SecretPropertiesRequest;

  @IsOptional() @ValidateNested() @Type(() => X509PropertiesRequest)
  x509_props?: X509PropertiesRequest;

  @IsOptional() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => CertificateLifetimeActionRequest)
  lifetime_actions?: CertificateLifetimeActionRequest[];

  @IsOptional() @ValidateNested() @Type(() => IssuerParametersRequest)
  issuer?: IssuerParametersRequest;
}

/** Attributes a caller may set on a certificate version: enabled (nbf/exp come from the certificate). */
export class CertificateAttributesRequest extends SecretAttributesRequest {}

export class CertificateCreateRequest extends CertificateNameRequest {
  @IsOptional() @ValidateNested() @Type(() => CertificatePolicyRequest)
  policy?: CertificatePolicyRequest;

  @IsOptional() @ValidateNested() @Type(() => CertificateAttributesRequest)
  attributes?: CertificateAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;

  /** Check-and-set on a new version of an existing certificate: its current version id or its sequence (the scheduler's AutoRenew). */
  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a 32-hex version id or a sequence number' })
  ifMatch?: string;
}

/**
 * `coffer.v1.vault.<vault>.certificate.notify`: the scheduler records that a version's EmailContacts
 * lifetime action fell due (kind NearExpiry only; Azure's CertificateNearExpiry).
 */
export class CertificateNotifyRequest extends CertificateNameRequest {
  @IsString() @Matches(VERSION_ID, VERSION_MESSAGE)
  version!: string;

  @IsIn(['NearExpiry'])
  kind!: 'NearExpiry';
}

export class CertificateGetRequest extends CertificateNameRequest {
  @IsOptional() @IsString() @Matches(VERSION_ID, VERSION_MESSAGE)
  version?: string;
}

export class CertificateVersionsRequest extends PageRequest {
  @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  name!: string;
}

export class CertificateUpdateRequest extends CertificateGetRequest {
  @IsOptional() @ValidateNested() @Type(() => CertificateAttributesRequest)
  attributes?: CertificateAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;

  @IsOptional() @IsString() @Matches(IF_MATCH, { message: 'ifMatch must be a 32-hex version id or a sequence number' })
  ifMatch?: string;
}

export class CertificatePolicyUpdateRequest extends CertificateNameRequest {
  @IsDefined() @ValidateNested() @Type(() => CertificatePolicyRequest)
  policy!: CertificatePolicyRequest;
}

export class CertificateDownloadRequest extends CertificateGetRequest {
  @IsOptional() @IsIn(['PEM', 'DER'])
  encoding?: 'PEM' | 'DER';
}

/** Import: a PFX (base64) with its password, or PEM text with the certificate and its PKCS#8 key. */
export class CertificateImportRequest extends CertificateNameRequest {
  @IsString() @IsNotEmpty() @MaxLength(PEM_OR_B64_MAX)
  value!: string;

  @IsOptional() @IsString() @MaxLength(1024)
  password?: string;

  @IsOptional() @ValidateNested() @Type(() => CertificatePolicyRequest)
  policy?: CertificatePolicyRequest;

  @IsOptional() @ValidateNested() @Type(() => CertificateAttributesRequest)
  attributes?: CertificateAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;
}

/** Merge: the signed certificate (and its chain) for a pending operation, as base64 DER each or one PEM text. */
export class CertificateMergeRequest extends CertificateNameRequest {
  @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(PEM_OR_B64_MAX, { each: true })
  x5c!: string[];

  @IsOptional() @ValidateNested() @Type(() => CertificateAttributesRequest)
  attributes?: CertificateAttributesRequest;

  @IsOptional() @IsTags()
  tags?: Record<string, string>;
}

export class CertificateRestoreRequest {
  @IsString() @IsNotEmpty()
  value!: string;
}

export class IssuerNameRequest {
  @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  name!: string;
}

export class IssuerCreateRequest extends IssuerNameRequest {
  @IsString() @MaxLength(1024)
  subject!: string;

  @IsOptional() @IsIn(CERTIFICATE_KEY_TYPES)
  kty?: CertificateKeyType;

  @IsOptional() @IsInt()
  key_size?: number;

  @IsOptional() @IsIn(CURVES)
  crv?: Curve;

  /** Default 120 (ten years) for a root, 60 for an intermediate. */
  @IsOptional() @IsInt() @Min(1) @Max(1200)
  validity_months?: number;

  /** Makes an intermediate CA signed by this Coffer issuer (same vault). */
  @IsOptional() @IsString() @Matches(OBJECT_NAME, NAME_MESSAGE)
  parent?: string;

  @IsOptional() @IsInt() @Min(0) @Max(10)
  path_length?: number;
}

export class IssuerSignCsrRequest extends IssuerNameRequest {
  /** PEM or base64 DER PKCS#10. */
  @IsString() @IsNotEmpty() @MaxLength(PEM_OR_B64_MAX)
  csr!: string;

  @IsOptional() @IsInt() @Min(1) @Max(1200)
  validity_months?: number;

  @StringList()
  ekus?: string[];

  @StringList()
  key_usage?: string[];
}

export class IssuerRevokeRequest extends IssuerNameRequest {
  @IsString() @Matches(/^[0-9a-fA-F]{1,40}$/, { message: 'serialNumber must be hex (up to 20 bytes)' })
  serialNumber!: string;

  @IsOptional() @IsIn(REVOCATION_REASONS)
  reason?: (typeof REVOCATION_REASONS)[number];
}

export class CertificateContactRequest {
  @IsEmail()
  email!: string;

  @IsOptional() @IsString() @MaxLength(256)
  name?: string;

  @IsOptional() @IsString() @MaxLength(64)
  phone?: string;
}

export class CertificateContactsSetRequest {
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => CertificateContactRequest)
  contacts!: CertificateContactRequest[];
}
