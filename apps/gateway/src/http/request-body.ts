import { FastifyRequest } from 'fastify';
import { AzureError } from './azure-error';

/** The JSON object a write carries; anything else (another content type, an array, no body) is Azure's 400. */
export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const type = String(request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type !== 'application/json') throw AzureError.badParameter('The request content type must be application/json.');
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw AzureError.badParameter('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw AzureError.badParameter(`${field} must be a string.`);
  return v;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const v = optionalString(body, field);
  if (v === undefined) throw AzureError.badParameter(`${field} is required.`);
  return v;
}

export function optionalTags(body: Record<string, unknown>): Record<string, string> | undefined {
  const v = body.tags;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((t) => typeof t !== 'string')) {
    throw AzureError.badParameter('tags must be an object of strings.');
  }
  return v as Record<string, string>;
}

/** Azure's `attributes` (enabled, nbf and exp in seconds since the epoch) as Coffer's inputs. */
export function optionalAttributes(body: Record<string, unknown>): { enabled?: boolean; notBefore?: Date; expiresOn?: Date } {
  const a = body.attributes;
  if (a === undefined || a === null) return {};
  if (typeof a !== 'object' || Array.isArray(a)) throw AzureError.badParameter('attributes must be an object.');
  const attrs = a as Record<string, unknown>;
  const time = (field: 'nbf' | 'exp') => {
    const t = attrs[field];
    if (t === undefined || t === null) return undefined;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 253_402_300_799) throw AzureError.badParameter(`attributes.${field} must be whole seconds since the epoch.`);
    return new Date(t * 1000);
  };
  if (attrs.enabled !== undefined && attrs.enabled !== null && typeof attrs.enabled !== 'boolean') throw AzureError.badParameter('attributes.enabled must be a boolean.');
  return { enabled: (attrs.enabled ?? undefined) as boolean | undefined, notBefore: time('nbf'), expiresOn: time('exp') };
}
