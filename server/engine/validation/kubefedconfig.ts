/**
 * Admission validation of core.kubefed.io/v1beta1 KubeFedConfig (kubefed
 * pkg/apis/core/v1beta1/validation/validation.go), plus Go's time.ParseDuration and
 * time.Duration.String() that metav1.Duration fields go through.
 */
import { own } from '../json.ts';
import {
  child,
  duplicate,
  enumString,
  goRaw,
  invalid,
  readInt64,
  readOptionalString,
  readString,
  required,
  wrongType,
  type FieldError,
} from './fielderrors.ts';

// ------------------------------------------------------------------------------------------
// Go durations (int64 nanoseconds)

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};
const TWO63 = 2n ** 63n;

export type DurationResult = { ok: true; nanos: bigint } | { ok: false; error: string };

/** time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, e.g. "1h2m3.5s", "-12ns", "0". */
export function parseGoDuration(orig: string): DurationResult {
  const bad = (): DurationResult => ({ ok: false, error: `time: invalid duration "${orig}"` });
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanos: 0n };
  if (s === '') return bad();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return bad();
    // leading integer
    let i = 0;
    let v = 0n;
    for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
      if (v > TWO63 / 10n) return bad();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > TWO63) return bad();
    }
    const pre = i > 0;
    s = s.slice(i);
    // fraction
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && s[j]! >= '0' && s[j]! <= '9'; j++) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return bad();
    // unit
    let k = 0;
    for (; k < s.length; k++) {
      const c = s[k]!;
      if (c === '.' || (c >= '0' && c <= '9')) break;
    }
    if (k === 0) return { ok: false, error: `time: missing unit in duration "${orig}"` };
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) return { ok: false, error: `time: unknown unit "${u}" in duration "${orig}"` };
    if (v > TWO63 / unit) return bad();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) return bad();
    }
    d += v;
    if (d > TWO63) return bad();
  }
  if (neg) return { ok: true, nanos: -d };
  if (d > TWO63 - 1n) return bad();
  return { ok: true, nanos: d };
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = digit.toString() + out;
    v /= 10n;
  }
  if (print) out = '.' + out;
  return [out, v];
}

/** time.Duration.String(): "1h2m3.5s", "1m0s", "12ns", "1.5µs", "0s". */
export function formatGoDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1000000000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1000000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = rest.toString() + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** A parsed metav1.Duration field: null when absent (nil), undefined when unusable (error reported). */
function readDuration(v: unknown, field: string, errs: FieldError[]): bigint | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    errs.push(wrongType(field, v, 'duration string'));
    return undefined;
  }
  const parsed = parseGoDuration(v);
  if (!parsed.ok) {
    errs.push(invalid(field, v, parsed.error));
    return undefined;
  }
  return parsed.nanos;
}

// ------------------------------------------------------------------------------------------
// Validation

export const KUBEFED_FEATURE_GATES = ['PushReconciler', 'RawResourceStatusCollection', 'SchedulerPreferences'] as const;
/** client-go leaderelection.JitterFactor. */
export const LEADER_ELECTION_JITTER_FACTOR = 1.2;

function greaterThan0(field: string, value: bigint): FieldError[] {
  return value <= 0n ? [invalid(field, value, 'should be greater than 0')] : [];
}

/** validateDurationGreaterThan0 on a raw field; returns the parsed value for later comparisons. */
function durationField(obj: unknown, key: string, path: string, errs: FieldError[]): bigint | undefined {
  const field = child(path, key);
  const d = readDuration(own(obj, key), field, errs);
  if (d === null) errs.push(required(field));
  else if (d !== undefined) errs.push(...greaterThan0(field, d));
  return d ?? undefined;
}

function intField(obj: unknown, key: string, path: string, errs: FieldError[]): void {
  const field = child(path, key);
  const v = readInt64(own(obj, key), field, errs);
  if (v === null) errs.push(required(field));
  else if (v !== undefined) errs.push(...greaterThan0(field, v));
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** spec.scope: Cluster or Namespaced, immutable on update. */
function validateScope(spec: unknown, oldConfig: unknown, errs: FieldError[]): void {
  const scopePath = child('spec', 'scope');
  const scope = readString(own(spec, 'scope'), scopePath, errs);
  if (scope !== undefined) errs.push(...enumString(scopePath, scope, ['Cluster', 'Namespaced']));
  if (oldConfig !== undefined && oldConfig !== null && scope !== undefined) {
    const oldScope = own(own(oldConfig, 'spec'), 'scope');
    const old = typeof oldScope === 'string' ? oldScope : '';
    if (old !== scope) errs.push(invalid(scopePath, scope, 'field is immutable'));
  }
}

/** spec.leaderElect: durations ordered lease > renew > retry*jitter, and the lock type. */
function validateLeaderElect(spec: unknown, errs: FieldError[]): void {
  const elect = own(spec, 'leaderElect');
  const electPath = child('spec', 'leaderElect');
  if (!present(elect)) {
    errs.push(required(electPath));
    return;
  }
  const lease = durationField(elect, 'leaseDuration', electPath, errs);
  const renew = durationField(elect, 'renewDeadline', electPath, errs);
  const retry = durationField(elect, 'retryPeriod', electPath, errs);
  if (lease !== undefined && renew !== undefined && lease <= renew) {
    errs.push(invalid(child(electPath, 'leaseDuration'), goRaw(formatGoDuration(lease)), 'leaseDuration must be greater than renewDeadline'));
  }
  if (renew !== undefined && retry !== undefined && renew <= BigInt(Math.trunc(Number(retry) * LEADER_ELECTION_JITTER_FACTOR))) {
    errs.push(
      invalid(
        child(electPath, 'renewDeadline'),
        goRaw(formatGoDuration(renew)),
        `renewDeadline must be greater than retryPeriod*JitterFactor(${LEADER_ELECTION_JITTER_FACTOR.toFixed(1)})`,
      ),
    );
  }
  const lockPath = child(electPath, 'resourceLock');
  const lock = readOptionalString(own(elect, 'resourceLock'), lockPath, errs);
  if (lock === null) errs.push(required(lockPath));
  else if (lock !== undefined) errs.push(...enumString(lockPath, lock, ['configmaps', 'endpoints']));
}

/** spec.featureGates: known names, once each, Enabled or Disabled. */
function validateFeatureGates(spec: unknown, errs: FieldError[]): void {
  const gates = own(spec, 'featureGates');
  const gatesPath = child('spec', 'featureGates');
  if (!present(gates)) errs.push(required(gatesPath));
  else if (!Array.isArray(gates)) errs.push(wrongType(gatesPath, gates, '[]FeatureGatesConfig'));
  else {
    const seen = new Set<string>();
    const namePath = child(gatesPath, 'name');
    const confPath = child(gatesPath, 'configuration');
    for (const gate of gates) {
      const name = readString(own(gate, 'name'), namePath, errs);
      if (name === undefined) continue;
      if (seen.has(name)) {
        errs.push(duplicate(namePath, name));
        continue;
      }
      seen.add(name);
      errs.push(...enumString(namePath, name, KUBEFED_FEATURE_GATES));
      const conf = readString(own(gate, 'configuration'), confPath, errs);
      if (conf !== undefined) errs.push(...enumString(confPath, conf, ['Enabled', 'Disabled']));
    }
  }
}

/** spec.syncController: adoptResources (required) and, when set, maxConcurrentReconciles. */
function validateSyncController(spec: unknown, errs: FieldError[]): void {
  const sync = own(spec, 'syncController');
  const syncPath = child('spec', 'syncController');
  const adoptPath = child(syncPath, 'adoptResources');
  if (!present(sync)) errs.push(required(syncPath));
  else {
    const adopt = readOptionalString(own(sync, 'adoptResources'), adoptPath, errs);
    if (adopt === null) errs.push(required(adoptPath));
    else if (adopt !== undefined) {
      intField(sync, 'maxConcurrentReconciles', syncPath, errs);
      errs.push(...enumString(adoptPath, adopt, ['Enabled', 'Disabled']));
    }
  }
}

/**
 * ValidateKubeFedConfig(config, old): `oldConfig` given means an update, where spec.scope is
 * immutable.
 */
export function validateKubeFedConfig(config: unknown, oldConfig?: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const spec = own(config, 'spec');
  const specPath = 'spec';
  validateScope(spec, oldConfig, errs);

  const duration = own(spec, 'controllerDuration');
  const durationPath = child(specPath, 'controllerDuration');
  if (!present(duration)) errs.push(required(durationPath));
  else {
    durationField(duration, 'availableDelay', durationPath, errs);
    durationField(duration, 'unavailableDelay', durationPath, errs);
  }

  validateLeaderElect(spec, errs);
  validateFeatureGates(spec, errs);

  const health = own(spec, 'clusterHealthCheck');
  const healthPath = child(specPath, 'clusterHealthCheck');
  if (!present(health)) errs.push(required(healthPath));
  else {
    durationField(health, 'period', healthPath, errs);
    intField(health, 'failureThreshold', healthPath, errs);
    intField(health, 'successThreshold', healthPath, errs);
    durationField(health, 'timeout', healthPath, errs);
  }

  validateSyncController(spec, errs);

  const status = own(spec, 'statusController');
  const statusPath = child(specPath, 'statusController');
  if (!present(status)) errs.push(required(statusPath));
  else intField(status, 'maxConcurrentReconciles', statusPath, errs);

  return errs;
}
