import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';

// class-transformer keeps @Type metadata in this storage and types it apart from the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

/** A DTO class, as class-validator's and class-transformer's metadata key it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the metadata storages take any class
type DtoClass = Function;

/** What the cheap pre-check knows of one DTO field. */
interface FieldShape {
  /** The DTO class of a nested object (or of each element of a nested array), from @Type. */
  nested?: () => DtoClass;
  /** @ArrayMaxSize: longer arrays are refused before any element is looked at. */
  maxItems?: number;
  /** @MaxLength (not `each`): longer strings are refused before any regular expression runs on them. */
  maxLength?: number;
}

type DtoShape = Map<string, FieldShape>;

const shapes = new WeakMap<DtoClass, DtoShape>();

/** The fields a DTO class declares (class-validator metadata, inherited ones included), computed once per class. */
function shapeOf(type: DtoClass): DtoShape {
  let shape = shapes.get(type);
  if (shape) return shape;
  shape = new Map();
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    const field = shape.get(meta.propertyName) ?? {};
    const name = (meta as { name?: string }).name;
    if (name === 'arrayMaxSize') field.maxItems = meta.constraints[0] as number;
    if (name === 'maxLength' && !meta.each) field.maxLength = meta.constraints[0] as number;
    if (meta.type === 'nestedValidation') {
      const typed = defaultMetadataStorage.findTypeMetadata(type, meta.propertyName);
      if (typed) field.nested = typed.typeFunction as () => DtoClass;
    }
    shape.set(meta.propertyName, field);
  }
  shapes.set(type, shape);
  return shape;
}

export interface ShapeProblems {
  unknown: string[];
  other: string[];
}

const MAX_REPORTED = 5;

/**
 * A walk over the parsed body, linear in its size, that finds what class-transformer and
 * class-validator would refuse at a cost they do not bound: unknown fields (they walk and describe
 * every one; 100k of them took seconds), arrays over their @ArrayMaxSize and strings over their
 * @MaxLength (checked before a regular expression runs on them). Stops after a few problems.
 */
export function checkShape(value: object, type: DtoClass): ShapeProblems {
  const problems: ShapeProblems = { unknown: [], other: [] };
  walk(value as Record<string, unknown>, type, '', problems);
  return problems;
}

function walk(value: Record<string, unknown>, type: DtoClass, path: string, problems: ShapeProblems): void {
  const shape = shapeOf(type);
  for (const key of Object.keys(value)) {
    if (problems.unknown.length + problems.other.length >= MAX_REPORTED) return;
    const field = shape.get(key);
    const at = path ? `${path}.${key}` : key;
    if (!field) {
      problems.unknown.push(at);
      continue;
    }
    const v = value[key];
    if (typeof v === 'string') {
      if (field.maxLength !== undefined && v.length > field.maxLength) problems.other.push(`${at} must be at most ${field.maxLength} characters`);
    } else if (Array.isArray(v)) {
      if (field.maxItems !== undefined && v.length > field.maxItems) problems.other.push(`${at} must contain no more than ${field.maxItems} elements`);
      else if (field.nested) {
        const nested = field.nested();
        v.forEach((item, i) => isPlainObject(item) && walk(item, nested, `${at}[${i}]`, problems));
      }
    } else if (field.nested && isPlainObject(v)) walk(v, field.nested(), at, problems);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
