import fc from 'fast-check';

/**
 * fast-check arbitraries for the JSON Schema keywords the OpenAPI document uses ($ref, type, enum, anyOf,
 * pattern, min/maxLength, minimum/maximum, maxItems, properties, required). Hand-written on purpose: the
 * document needs only these, `fc.stringMatching` covers patterns, every value stays under fast-check's seed
 * and shrinking, and the judge of validity is AJV against the document itself (`request-model.ts`), so a
 * value this generator gets wrong is filtered out, never sent as valid.
 */
export type Json = Record<string, unknown>;

export interface SchemaContext {
  /** Resolves `#/components/schemas/…`. */
  readonly resolve: (ref: string) => Json;
}

const asRegExp = (pattern: string) => new RegExp(pattern, 'u');

/** Characters as JSON Schema counts them. */
export const lengthOf = (text: string) => [...text].length;

function stringArbitrary(schema: Json): fc.Arbitrary<string> {
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const pattern = typeof schema.pattern === 'string' ? asRegExp(schema.pattern) : undefined;
  const base = pattern
    ? fc.stringMatching(pattern, { maxLength: Math.min(max, 64) })
    : schema.format === 'uuid'
      ? fc.uuid()
      : fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 64) });
  return fc
    .oneof({ arbitrary: base, weight: 4 }, fc.constantFrom(...boundaryStrings(schema)))
    .filter((text) => lengthOf(text) >= min && lengthOf(text) <= max && (!pattern || pattern.test(text)));
}

/**
 * Strings at and just past a string schema's edges, where off-by-one, trimming and UTF-16 counting gaps
 * hide. The valid generator keeps those the schema allows; the invalid one those it refuses.
 */
export function boundaryStrings(schema: Json): string[] {
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 8;
  return [
    'x'.repeat(max),
    '😀'.repeat(max),
    ` ${'x'.repeat(max - 1)}`,
    ` ${'x'.repeat(max)} `,
    '😀'.repeat(max + 1),
    'x'.repeat(max + 1),
    '   ',
    '',
    ' x ',
  ];
}

/**
 * A body field's edge values, as JSON values of the field's own types: strings at and past their lengths,
 * numbers at and past their range (as numbers, and once as a string), arrays empty and over their size,
 * and null. A field of several types (`anyOf`, a type list) gets the edges of each.
 */
export function boundaryValues(schema: Json, context: SchemaContext): unknown[] {
  if (typeof schema.$ref === 'string') return boundaryValues(context.resolve(schema.$ref), context);
  if (Array.isArray(schema.enum)) return [...(schema.enum as unknown[]), 'NOT_IN_ENUM'];
  const choices = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (choices) return choices.flatMap((choice) => boundaryValues(choice, context));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  return types.flatMap((type): unknown[] => {
    if (type === 'null') return [null];
    if (type === 'array')
      return [
        [],
        Array.from(
          { length: (typeof schema.maxItems === 'number' ? schema.maxItems : 5) + 1 },
          (_, i) => `a${i}`,
        ),
      ];
    if (type === 'integer' || type === 'number') {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
      return [min, max, min - 1, max + 1, min + 0.5, String(min)];
    }
    return boundaryStrings(schema);
  });
}

export function arbitraryOf(schema: Json, context: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return arbitraryOf(context.resolve(schema.$ref), context, depth);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const choices = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (choices) return fc.oneof(...choices.map((choice) => arbitraryOf(choice, context, depth)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => arbitraryOf({ ...schema, type }, context, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1000,
        max: typeof schema.maximum === 'number' ? schema.maximum : 1000,
      });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(arbitraryOf((schema.items as Json) ?? {}, context, depth + 1), {
        maxLength: typeof schema.maxItems === 'number' ? schema.maxItems : 3,
      });
    case 'object':
      return objectArbitrary(schema, context, depth);
    default:
      return fc.constant(null);
  }
}

function objectArbitrary(schema: Json, context: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, arbitraryOf(property, context, depth + 1)]),
  );
  const requiredKeys = Object.keys(properties).filter((name) => required.has(name));
  return fc.record(model, { requiredKeys });
}
