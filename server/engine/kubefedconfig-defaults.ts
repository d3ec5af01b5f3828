/**
 * Defaulting of core.kubefed.io/v1beta1 KubeFedConfig (kubefed
 * pkg/apis/core/v1beta1/defaults/defaults.go): only absent (or null) fields are filled;
 * explicit values, zero values included, are kept. spec.scope is never defaulted.
 */
import { deepClone, isObject, own, type Json, type JsonObject } from './json.ts';
import { formatGoDuration, parseGoDuration } from './validation/kubefedconfig.ts';

/** Known feature gates and their default configuration (pkg/features). */
export const DEFAULT_FEATURE_GATES: Readonly<Record<string, 'Enabled' | 'Disabled'>> = {
  PushReconciler: 'Enabled',
  SchedulerPreferences: 'Enabled',
  RawResourceStatusCollection: 'Disabled',
};

export const KUBEFED_CONFIG_DEFAULTS = {
  availableDelay: '20s',
  unavailableDelay: '1m0s',
  leaseDuration: '15s',
  renewDeadline: '10s',
  retryPeriod: '5s',
  resourceLock: 'configmaps',
  healthCheckPeriod: '10s',
  healthCheckTimeout: '3s',
  failureThreshold: 3,
  successThreshold: 1,
  maxConcurrentReconciles: 1,
  adoptResources: 'Enabled',
} as const;

function absent(v: Json | undefined): boolean {
  return v === undefined || v === null;
}

/** The struct under `key`, created when absent; undefined when it is not an object. */
function section(parent: JsonObject, key: string): JsonObject | undefined {
  const v = own(parent, key);
  if (absent(v)) {
    const created: JsonObject = {};
    parent[key] = created;
    return created;
  }
  return isObject(v) ? v : undefined;
}

function setDefault(obj: JsonObject | undefined, key: string, value: Json): void {
  if (obj && absent(own(obj, key))) obj[key] = value;
}

/** A duration as Go re-encodes it (`60s` -> `1m0s`); unparseable values are left as written. */
function canonicalDuration(obj: JsonObject | undefined, key: string): void {
  const v = own(obj, key);
  if (!obj || typeof v !== 'string') return;
  const parsed = parseGoDuration(v);
  if (parsed.ok) obj[key] = formatGoDuration(parsed.nanos);
}

/** Go string ordering (byte-wise UTF-8 = code point order). */
function compareGo(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

/** Known gates missing by name are appended with their default, then the list is sorted by name. */
export function defaultFeatureGates(gates: readonly Json[]): Json[] {
  const out = gates.map((g) => deepClone(g));
  const names = new Set(out.map((g) => (isObject(g) && typeof g.name === 'string' ? g.name : '')));
  for (const [name, configuration] of Object.entries(DEFAULT_FEATURE_GATES)) {
    if (!names.has(name)) out.push({ name, configuration });
  }
  const nameOf = (g: Json) => (isObject(g) && typeof g.name === 'string' ? g.name : '');
  return out.sort((a, b) => compareGo(nameOf(a), nameOf(b)));
}

/** SetDefaultKubeFedConfig on a copy of the object. */
export function kubeFedConfigDefaults(config: unknown): JsonObject {
  const out: JsonObject = isObject(config) ? deepClone(config) : {};
  const spec = section(out, 'spec');
  if (!spec) return out;
  const d = KUBEFED_CONFIG_DEFAULTS;

  const duration = section(spec, 'controllerDuration');
  setDefault(duration, 'availableDelay', d.availableDelay);
  setDefault(duration, 'unavailableDelay', d.unavailableDelay);

  const elect = section(spec, 'leaderElect');
  setDefault(elect, 'resourceLock', d.resourceLock);
  setDefault(elect, 'retryPeriod', d.retryPeriod);
  setDefault(elect, 'renewDeadline', d.renewDeadline);
  setDefault(elect, 'leaseDuration', d.leaseDuration);

  const gates = own(spec, 'featureGates');
  if (absent(gates)) spec.featureGates = defaultFeatureGates([]);
  else if (Array.isArray(gates)) spec.featureGates = defaultFeatureGates(gates);

  const health = section(spec, 'clusterHealthCheck');
  setDefault(health, 'period', d.healthCheckPeriod);
  setDefault(health, 'timeout', d.healthCheckTimeout);
  setDefault(health, 'failureThreshold', d.failureThreshold);
  setDefault(health, 'successThreshold', d.successThreshold);

  const sync = section(spec, 'syncController');
  setDefault(sync, 'maxConcurrentReconciles', d.maxConcurrentReconciles);
  setDefault(sync, 'adoptResources', d.adoptResources);

  const status = section(spec, 'statusController');
  setDefault(status, 'maxConcurrentReconciles', d.maxConcurrentReconciles);

  for (const [obj, keys] of [
    [duration, ['availableDelay', 'unavailableDelay']],
    [elect, ['leaseDuration', 'renewDeadline', 'retryPeriod']],
    [health, ['period', 'timeout']],
  ] as const) {
    for (const k of keys) canonicalDuration(obj, k);
  }
  return out;
}
