import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { Limits } from '../limits';

/** Tags: a flat object of at most 15 string values; names and values at most 256 characters. */
export function IsTags(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTags',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= Limits.maxTags &&
            entries.every(
              ([k, v]) =>
                k.length > 0 && k.length <= Limits.maxTagNameLength && typeof v === 'string' && v.length <= Limits.maxTagValueLength,
            )
          );
        },
        defaultMessage(args: ValidationArguments) {
          return `${args.property} must be an object of at most ${Limits.maxTags} string tags, names and values at most ${Limits.maxTagValueLength} characters`;
        },
      },
    });
}
