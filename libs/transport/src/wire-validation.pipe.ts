import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { badParameter, EmptyRequest, InnerErrorCodes } from '@coffer/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { checkShape } from './dto-shape.checker';
import { MalformedBody } from './json-wire.deserializer';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${parent ? parent + '.' : ''}${m}` : `${path}: ${m}`));
    return [...own, ...describe(e.children ?? [], path)];
  });
}

const list = (items: string[]) => items.join(', ');
/** Unknown field names are caller input (up to the size limit each): cut to a bounded length in the message. */
const names = (fields: string[]) => list(fields.map((n) => (n.length > 64 ? `${n.slice(0, 64)}…` : n)));

/**
 * Validates a request body against its DTO class. Unknown fields, wrong types and rule violations
 * are BadParameter errors naming every problem; nothing reaches a handler unvalidated.
 * The body was bounded before parsing (JsonWireDeserializer); checkShape then refuses unknown
 * fields, over-long arrays and strings in one linear walk, so class-transformer and class-validator
 * only ever see bodies of the DTO's own shape.
 */
@Injectable()
export class WireValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Only the message body is validated here (NestJS reports @Payload() as 'body' to pipes).
    if (metadata.type !== 'body') return value;
    if (value instanceof MalformedBody) throw value.error;
    const type = metadata.metatype;
    if (!type || type === Object) return value;
    // class-validator has no rules for a field-less class, so unknown fields are caught here.
    if (type === EmptyRequest && Object.keys(value as object).length > 0) {
      throw badParameter(`Invalid request: this request takes no fields (got ${names(Object.keys(value as object).slice(0, 5))}).`, InnerErrorCodes.UnknownField);
    }
    const shape = checkShape(value as object, type);
    if (shape.unknown.length > 0) {
      throw badParameter(`Invalid request: unknown field(s) ${names(shape.unknown)}${shape.other.length ? `; ${list(shape.other)}` : ''}.`, InnerErrorCodes.UnknownField);
    }
    if (shape.other.length > 0) throw badParameter(`Invalid request: ${list(shape.other)}.`);
    const instance = plainToInstance(type, value, { enableImplicitConversion: false });
    const errors = validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      const unknown = errors.some((e) => e.constraints?.whitelistValidation);
      throw badParameter(`Invalid request: ${describe(errors).join('; ')}.`, unknown ? InnerErrorCodes.UnknownField : undefined);
    }
    return instance;
  }
}
