/**
 * KubeFedCluster health (v1beta1): /healthz probe result as status.conditions, readiness, and the
 * failure/success threshold smoothing (kubefed pkg/controller/kubefedcluster/{clusterclient,controller}.go
 * and pkg/controller/util/federated_informer.go IsClusterReady at HEAD).
 */
import { deepClone, isObject, own, type Json, type JsonObject } from './json.ts';

export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_SUCCESS_THRESHOLD = 1;

/**
 * A cluster (KubeFedCluster or FederatedCluster) is ready iff some condition of its `status` has
 * type Ready and status True. The one readiness rule of both eras: placement and the inventory use it.
 */
export function isClusterReady(status: unknown): boolean {
  const conds = own(status, 'conditions');
  return Array.isArray(conds) && conds.some((c) => own(c, 'type') === 'Ready' && own(c, 'status') === 'True');
}

function condition(type: string, status: string, reason: string, message: string, now: string): JsonObject {
  return { type, status, reason, message, lastProbeTime: now, lastTransitionTime: now };
}

/** Go strings.EqualFold against "ok" (the Kelvin sign folds to k). */
function equalFoldOk(body: string): boolean {
  return [...body].length === 2 && body.toUpperCase().toLowerCase() === 'ok';
}

/**
 * GetClusterHealthStatus: the status computed from one probe. `healthz` is the response body, or
 * null / {error: true} / the string 'error' when the request failed.
 */
export function probeStatus(healthz: string | null | { error: true }, now: string, error?: string): JsonObject {
  if (healthz === null || typeof healthz !== 'string' || healthz === 'error') {
    // KubeFed v0.10 appends the error to the message.
    return { conditions: [condition('Offline', 'True', 'ClusterNotReachable', `cluster is not reachable${error ? `: ${error}` : ''}`, now)] };
  }
  if (equalFoldOk(healthz)) {
    return { conditions: [condition('Ready', 'True', 'ClusterReady', '/healthz responded with ok', now)] };
  }
  return {
    conditions: [
      condition('Ready', 'False', 'ClusterNotReady', '/healthz responded without ok', now),
      condition('Offline', 'False', 'ClusterReachable', 'cluster is reachable', now),
    ],
  };
}

export interface ThresholdInput {
  /** KubeFedConfig spec.clusterHealthCheck (failureThreshold default 3, successThreshold default 1). */
  config?: { failureThreshold?: number; successThreshold?: number } | null;
  /** Status computed from the current probe. */
  probed: unknown;
  /** Status stored after the previous probe; null on the first probe. */
  stored: unknown;
  /** Consecutive identical readiness results so far. */
  resultRun: number;
}

function conditionsOf(status: JsonObject): JsonObject[] {
  const c = own(status, 'conditions');
  return Array.isArray(c) ? c.filter(isObject) : [];
}

function setAll(status: JsonObject, field: string, value: Json | undefined): void {
  for (const c of conditionsOf(status)) {
    if (value === undefined) delete c[field];
    else c[field] = value;
  }
}

/** thresholdAdjustedClusterStatus: the status to store and the new result-run counter. */
export function thresholdStatus(input: ThresholdInput): { status: JsonObject; resultRun: number } {
  const probed = isObject(input.probed) ? deepClone(input.probed) : {};
  if (input.stored === null || input.stored === undefined) return { status: probed, resultRun: 1 };
  const stored = isObject(input.stored) ? deepClone(input.stored) : {};
  const cfg = input.config ?? {};
  const threshold = isClusterReady(probed)
    ? (cfg.successThreshold ?? DEFAULT_SUCCESS_THRESHOLD)
    : (cfg.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD);

  let status = probed;
  if (input.resultRun < threshold) {
    // Below the threshold: keep the stored state, refresh only the probe time.
    const probeTime = own(conditionsOf(probed)[0], 'lastProbeTime');
    status = stored;
    setAll(status, 'lastProbeTime', probeTime);
  } else if (isClusterReady(probed) === isClusterReady(stored)) {
    setAll(status, 'lastTransitionTime', own(conditionsOf(stored)[0], 'lastTransitionTime'));
  }
  const resultRun = isClusterReady(status) === isClusterReady(stored) ? input.resultRun + 1 : 1;
  return { status, resultRun };
}

/** No client could be built for the cluster (KubeFed v0.10 ConfigMalformed). */
export function malformedStatus(now: string): JsonObject {
  return { conditions: [condition('ConfigMalformed', 'True', 'ClusterConfigMalformed', "cluster's configuration may be malformed", now)] };
}

export interface HealthCheckConfig {
  periodMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
}

/** KubeFed's defaults (pkg/apis/core/v1beta1/defaults). */
export const DEFAULT_HEALTH_CHECK: HealthCheckConfig = { periodMs: 10_000, timeoutMs: 3_000, failureThreshold: DEFAULT_FAILURE_THRESHOLD, successThreshold: DEFAULT_SUCCESS_THRESHOLD };

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("10s", "1m30s", "500ms") in milliseconds; undefined when it is not one. */
export function goDurationMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) return undefined;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNITS[m[2]!]!;
  return ms;
}

/** The KubeFedConfig's spec.clusterHealthCheck, KubeFed's defaults for what it leaves out (or gets wrong). */
export function healthCheckConfig(kubefedConfig: unknown): HealthCheckConfig {
  const hc = own(own(kubefedConfig, 'spec'), 'clusterHealthCheck');
  const positiveInt = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined);
  const positiveMs = (x: unknown) => {
    const ms = goDurationMs(x);
    return ms !== undefined && ms > 0 ? ms : undefined;
  };
  return {
    periodMs: positiveMs(own(hc, 'period')) ?? DEFAULT_HEALTH_CHECK.periodMs,
    timeoutMs: positiveMs(own(hc, 'timeout')) ?? DEFAULT_HEALTH_CHECK.timeoutMs,
    failureThreshold: positiveInt(own(hc, 'failureThreshold')) ?? DEFAULT_HEALTH_CHECK.failureThreshold,
    successThreshold: positiveInt(own(hc, 'successThreshold')) ?? DEFAULT_HEALTH_CHECK.successThreshold,
  };
}
