/**
 * JSON Pointers (RFC 6901): parsing, formatting, escaping, array-index syntax.
 *
 * The strict parser here is what editors and validators use. The json-patch module keeps its own
 * library-compatible path splitting (see jsonpatch.ts) because the pinned upstream library does
 * not follow the RFC exactly.
 */
import { isObject, type Json } from './json.ts';

/** Keys that would reach Object.prototype if used with ordinary property assignment. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.includes(key);
}

export type PointerErrorKind = 'no-leading-slash' | 'bad-escape' | 'prototype-key';

export type ParsedPointer =
  | { ok: true; tokens: string[] }
  | { ok: false; kind: PointerErrorKind; message: string; token?: number };

/** `~` -> `~0`, `/` -> `~1`. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Left-to-right decoding: `~1` -> `/`, `~0` -> `~`; other `~` sequences are left as they are. */
export function unescapeToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** True when every `~` in the raw token starts a valid `~0` / `~1` escape. */
export function hasValidEscapes(rawToken: string): boolean {
  return !/~(?![01])/.test(rawToken);
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + escapeToken(t)).join('');
}

export interface ParseOptions {
  /** Reject `__proto__`, `constructor` and `prototype` tokens (default true). */
  rejectPrototypeKeys?: boolean;
}

/**
 * Strict RFC 6901 parse. `""` is the whole document (no tokens); every other pointer must start
 * with `/`; `~` must be followed by `0` or `1`. Prototype keys are rejected unless disabled.
 */
export function parsePointer(pointer: string, options: ParseOptions = {}): ParsedPointer {
  if (pointer === '') return { ok: true, tokens: [] };
  if (!pointer.startsWith('/')) {
    return { ok: false, kind: 'no-leading-slash', message: `JSON pointer "${pointer}" must start with "/"` };
  }
  const raw = pointer.slice(1).split('/');
  const tokens: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    if (!hasValidEscapes(r)) {
      return {
        ok: false,
        kind: 'bad-escape',
        token: i,
        message: `JSON pointer "${pointer}": "~" must be followed by "0" or "1" in segment "${r}"`,
      };
    }
    const t = unescapeToken(r);
    if ((options.rejectPrototypeKeys ?? true) && isPrototypeKey(t)) {
      return {
        ok: false,
        kind: 'prototype-key',
        token: i,
        message: `JSON pointer "${pointer}": segment "${t}" is not allowed`,
      };
    }
    tokens.push(t);
  }
  return { ok: true, tokens };
}

export type ArrayIndex =
  | { ok: true; index: number; canonical: boolean }
  | { ok: false; message: string };

/**
 * Array index as Go's strconv.Atoi reads it (what the pinned json-patch library uses): optional
 * sign, decimal digits, leading zeros allowed. `canonical` is false for anything RFC 6901 would
 * not accept (sign, leading zero, negative value). Values outside the 64-bit range are errors.
 */
export function parseArrayIndex(token: string): ArrayIndex {
  if (!/^[+-]?[0-9]+$/.test(token)) {
    return { ok: false, message: `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax` };
  }
  const big = BigInt(token);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    return { ok: false, message: `strconv.Atoi: parsing ${JSON.stringify(token)}: value out of range` };
  }
  // Magnitudes beyond 2^53 are clamped; they are out of range for any real array anyway.
  const index = big > BigInt(Number.MAX_SAFE_INTEGER)
    ? Number.MAX_SAFE_INTEGER
    : big < BigInt(-Number.MAX_SAFE_INTEGER)
      ? -Number.MAX_SAFE_INTEGER
      : Number(big);
  const canonical = /^(0|[1-9][0-9]*)$/.test(token);
  return { ok: true, index, canonical };
}

/**
 * Tokens of a non-empty pointer for lookups (editors, previews), undefined when it is not one.
 * Unlike override paths, a lookup may name any key, `__proto__` included: values are only read
 * as own properties (see valueAtPointer).
 */
export function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return undefined;
  const r = parsePointer(pointer, { rejectPrototypeKeys: false });
  return r.ok ? r.tokens : undefined;
}

/** The value at a pointer (own properties and in-range indexes only), undefined when absent. */
export function valueAtPointer(root: Json | undefined, pointer: string): Json | undefined {
  const tokens = pointerTokens(pointer);
  if (!tokens) return undefined;
  let cur: Json | undefined = root;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(t)) return undefined;
      cur = cur[Number(t)];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else return undefined;
  }
  return cur;
}
