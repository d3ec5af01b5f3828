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
export function probeStatus(healthz: string | null | { error: true }, now: string): JsonObject {
  if (healthz === null || typeof healthz !== 'string' || healthz === 'error') {
    return { conditions: [condition('Offline', 'True', 'ClusterNotReachable', 'cluster is not reachable', now)] };
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
