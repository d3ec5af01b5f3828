/**
 * Field-level validation errors formatted like k8s.io/apimachinery's field.Error
 * (pkg/util/validation/field/errors.go): "<path>: <type text>[: <value>][: <detail>]".
 *
 * Bad values are rendered the way upstream's ErrorBody does: strings with Go %q quoting,
 * integers/booleans with %v, nil as null, and anything with a Go String() method or a
 * %#v rendering passed in preformatted (see {@link goRaw}).
 */

export type FieldErrorType =
  | 'NotFound'
  | 'Required'
  | 'Duplicate'
  | 'Invalid'
  | 'NotSupported'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'Internal';

export interface FieldError {
  /** Field path as rendered by field.Path.String(), e.g. `spec.targetType.kind`. */
  field: string;
  type: FieldErrorType;
  /** Full upstream error text, `<field>: <body>`. */
  message: string;
  /** The detail part alone ('' when there is none). */
  detail: string;
}

/** A value whose Go rendering is already known (Stringer output or %#v text). */
export interface GoRaw {
  readonly goRaw: string;
}

export type BadValue = string | number | bigint | boolean | null | undefined | GoRaw;

export function goRaw(text: string): GoRaw {
  return { goRaw: text };
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  NotFound: 'Not found',
  Required: 'Required value',
  Duplicate: 'Duplicate value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  Internal: 'Internal error',
};

/** Types whose body never shows the bad value. */
const VALUELESS: ReadonlySet<FieldErrorType> = new Set(['Required', 'Forbidden', 'TooLong', 'Internal']);

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote (also what %q prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd'; // lone surrogate: not valid UTF-8 text
    } else if (PRINTABLE.test(ch)) {
      out += ch;
    } else {
      switch (cp) {
        case 0x07: out += '\\a'; break;
        case 0x08: out += '\\b'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        case 0x0b: out += '\\v'; break;
        default:
          if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
          else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
          else out += '\\U' + cp.toString(16).padStart(8, '0');
      }
    }
  }
  return out + '"';
}

/** How ErrorBody renders a bad value. */
export function renderBadValue(v: BadValue): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  return v.goRaw;
}

function make(type: FieldErrorType, field: string, value: BadValue, detail: string): FieldError {
  let body = TYPE_TEXT[type];
  if (!VALUELESS.has(type)) body += ': ' + renderBadValue(value);
  if (detail.length > 0) body += ': ' + detail;
  return { field, type, detail, message: `${field}: ${body}` };
}

export function required(field: string, detail = ''): FieldError {
  return make('Required', field, '', detail);
}

export function invalid(field: string, value: BadValue, detail: string): FieldError {
  return make('Invalid', field, value, detail);
}

export function notSupported(field: string, value: BadValue, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? 'supported values: ' + validValues.map(goQuote).join(', ') : '';
  return make('NotSupported', field, value, detail);
}

export function duplicate(field: string, value: BadValue): FieldError {
  return make('Duplicate', field, value, '');
}

export function notFound(field: string, value: BadValue): FieldError {
  return make('NotFound', field, value, '');
}

export function forbidden(field: string, detail: string): FieldError {
  return make('Forbidden', field, '', detail);
}

export function tooLong(field: string, maxLength: number): FieldError {
  return make('TooLong', field, '', `must have at most ${maxLength} bytes`);
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return make('TooMany', field, actual, `must have at most ${max} items`);
}

export function internalError(field: string, detail: string): FieldError {
  return make('Internal', field, null, detail);
}

/** field.Path helpers: child names join with '.', indexes render as `[i]`. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

export function index(path: string, i: number | string): string {
  return `${path}[${i}]`;
}

/**
 * A JSON value of the wrong type where upstream decodes into a typed Go field (the API
 * server would refuse to decode the object); reported as an Invalid error at that field.
 */
export function wrongType(field: string, value: unknown, goType: string): FieldError {
  const shown = typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' ? value : goRaw(JSON.stringify(value));
  return invalid(field, shown, `must be of type ${goType}`);
}

/** validateEnumStrings of the kubefed validation package: Required when empty, else NotSupported. */
export function enumString(field: string, value: string, accepted: readonly string[]): FieldError[] {
  if (value === '') return [required(field)];
  if (accepted.includes(value)) return [];
  return [notSupported(field, value, accepted)];
}

/**
 * Typed reads of JSON fields that upstream decodes into Go struct fields. Absent and JSON
 * null read as the Go zero value; a value of the wrong JSON type is reported through
 * {@link wrongType} into `errs` and yields `undefined` (the caller skips that field).
 */
export function readString(v: unknown, field: string, errs: FieldError[]): string | undefined {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  errs.push(wrongType(field, v, 'string'));
  return undefined;
}

/** Like {@link readString} but distinguishes absent/null (a nil Go pointer) as `null`. */
export function readOptionalString(v: unknown, field: string, errs: FieldError[]): string | null | undefined {
  if (v === undefined || v === null) return null;
  return readString(v, field, errs);
}

/** An int64 field; absent/null reads as `null` (nil pointer), callers pick the zero value if needed. */
export function readInt64(v: unknown, field: string, errs: FieldError[]): bigint | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) {
    const b = BigInt(v);
    if (b >= -(2n ** 63n) && b < 2n ** 63n) return b;
  }
  errs.push(wrongType(field, v, 'int64'));
  return undefined;
}
