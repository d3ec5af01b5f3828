/**
 * metav1.LabelSelector evaluation as LabelSelectorAsSelector does it (apimachinery v0.21):
 * a nil selector matches nothing, a selector without requirements matches everything,
 * otherwise every matchLabels pair and every matchExpressions requirement must hold.
 * Operators, value counts and label key/value syntax are validated; any problem is an error.
 */
import type { JsonObject } from './json.ts';
import { isObject } from './json.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './validation/names.ts';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals';

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
  /** Where it came from, e.g. `matchLabels.region` or `matchExpressions[0]`. */
  source: string;
}

export type CompiledSelector =
  | { kind: 'nothing' }
  | { kind: 'everything' }
  | { kind: 'requirements'; requirements: Requirement[] };

export interface SelectorError {
  /** Field path inside the selector, e.g. `matchExpressions[1].operator`. */
  path: string;
  message: string;
}

export type CompileResult = { ok: true; selector: CompiledSelector } | { ok: false; errors: SelectorError[] };

export { isDNS1123Subdomain, isQualifiedName, isValidLabelValue };

function own(o: JsonObject, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function requirementErrors(r: Requirement, base: string): SelectorError[] {
  const errors: SelectorError[] = [];
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length) errors.push({ path: `${base}.key`, message: `invalid label key "${r.key}": ${keyErrs.join('; ')}` });
  const n = r.values.length;
  if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) {
    errors.push({ path: `${base}.values`, message: "for 'in', 'notin' operators, values set can't be empty" });
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n !== 0) {
    errors.push({ path: `${base}.values`, message: 'values set must be empty for exists and does not exist' });
  }
  r.values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errors.push({ path: `${base}.values[${i}]`, message: `invalid label value: "${v}": at key: "${r.key}": ${ve.join('; ')}` });
  });
  return errors;
}

function typeError(path: string, want: string): SelectorError {
  return { path, message: `${path} must be ${want}` };
}

/**
 * Compiles a selector. `null`/`undefined` is a nil selector (matches nothing).
 * Null map values and null list entries decode to "" as they do in Go.
 */
export function compileLabelSelector(selector: unknown): CompileResult {
  if (selector === null || selector === undefined) return { ok: true, selector: { kind: 'nothing' } };
  if (!isObject(selector)) return { ok: false, errors: [typeError('clusterSelector', 'an object')] };
  const errors: SelectorError[] = [];
  const requirements: Requirement[] = [];

  const ml = own(selector, 'matchLabels');
  let labelCount = 0;
  if (ml !== null && ml !== undefined) {
    if (!isObject(ml)) errors.push(typeError('matchLabels', 'a map of strings'));
    else {
      for (const key of Object.keys(ml).sort()) {
        labelCount++;
        const v = ml[key];
        if (v !== null && typeof v !== 'string') {
          errors.push(typeError(`matchLabels.${key}`, 'a string'));
          continue;
        }
        requirements.push({ key, operator: 'Equals', values: [v ?? ''], source: `matchLabels.${key}` });
      }
    }
  }

  const me = own(selector, 'matchExpressions');
  let exprCount = 0;
  if (me !== null && me !== undefined) {
    if (!Array.isArray(me)) errors.push(typeError('matchExpressions', 'a list'));
    else {
      me.forEach((e, i) => {
        exprCount++;
        const base = `matchExpressions[${i}]`;
        let expr: JsonObject = {};
        if (isObject(e)) expr = e;
        else if (e !== null) errors.push(typeError(base, 'an object'));
        const str = (f: string): string => {
          const v = own(expr, f);
          if (v === null || v === undefined) return '';
          if (typeof v !== 'string') {
            errors.push(typeError(`${base}.${f}`, 'a string'));
            return '';
          }
          return v;
        };
        const key = str('key');
        const op = str('operator');
        const rawValues = own(expr, 'values');
        const values: string[] = [];
        if (rawValues !== null && rawValues !== undefined) {
          if (!Array.isArray(rawValues)) errors.push(typeError(`${base}.values`, 'a list of strings'));
          else {
            rawValues.forEach((v, j) => {
              if (v !== null && typeof v !== 'string') errors.push(typeError(`${base}.values[${j}]`, 'a string'));
              else values.push(v ?? '');
            });
          }
        }
        if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
          errors.push({ path: `${base}.operator`, message: `${JSON.stringify(op)} is not a valid pod selector operator` });
          return;
        }
        requirements.push({ key, operator: op, values, source: base });
      });
    }
  }

  if (errors.length) return { ok: false, errors };
  if (labelCount + exprCount === 0) return { ok: true, selector: { kind: 'everything' } };
  for (const r of requirements) {
    errors.push(...requirementErrors(r, r.source));
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, selector: { kind: 'requirements', requirements } };
}

/** String-valued own entries of a labels object (anything else is ignored). */
export function labelsOf(labels: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (!isObject(labels)) return m;
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    if (typeof v === 'string') m.set(k, v);
  }
  return m;
}

export function requirementMatches(r: Requirement, labels: Map<string, string>): boolean {
  const has = labels.has(r.key);
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return has && r.values.includes(labels.get(r.key)!);
    case 'NotIn':
      return !has || !r.values.includes(labels.get(r.key)!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export type MatchResult =
  | { ok: true; matches: boolean; selector: CompiledSelector['kind']; failed?: Requirement }
  | { ok: false; errors: SelectorError[]; error: string };

/** Evaluates `selector` against `labels`; `failed` names the first requirement that does not hold. */
export function matchLabelSelector(selector: unknown, labels: unknown): MatchResult {
  const c = compileLabelSelector(selector);
  if (!c.ok) return { ok: false, errors: c.errors, error: c.errors.map((e) => e.message).join('; ') };
  return matchCompiled(c.selector, labels);
}

export function matchCompiled(selector: CompiledSelector, labels: unknown): MatchResult & { ok: true } {
  if (selector.kind === 'nothing') return { ok: true, matches: false, selector: 'nothing' };
  if (selector.kind === 'everything') return { ok: true, matches: true, selector: 'everything' };
  const l = labelsOf(labels);
  const failed = selector.requirements.find((r) => !requirementMatches(r, l));
  return failed
    ? { ok: true, matches: false, selector: 'requirements', failed }
    : { ok: true, matches: true, selector: 'requirements' };
}

/** Human-readable form of a requirement, e.g. `region in (eu,us)`. */
export function describeRequirement(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}
