/**
 * Leader records of controllers on a host cluster: KubeFed v0.10's ConfigMap lock (annotation
 * `control-plane.alpha.kubernetes.io/leader`, client-go's LeaderElectionRecord as JSON) and a
 * `coordination.k8s.io/v1` Lease. A controller runs when its record was renewed within its lease
 * duration. Pure: the cluster module reads the objects, the faces decide what to do.
 */
import { isObject, own, type JsonObject } from './json.ts';

/** Name of KubeFed's lock object in the KubeFed namespace (ConfigMap in v0.10; a Lease for controllers of this project). */
export const KUBEFED_LOCK_NAME = 'kubefed-controller-manager';
/** The Lease of this project's own controller (`kfed controller`), in the KubeFed namespace. */
export const PROJECT_LEASE_NAME = 'kubefed-tools-controller';
export const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export interface LeaderRecord {
  holder: string;
  leaseDurationSeconds: number;
  /** Milliseconds since the epoch. */
  renewTime: number;
  /** Where the record came from. */
  lock: 'configmap' | 'lease';
}

function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** The leader record of a ConfigMap or Lease lock object; undefined when it holds none. */
export function leaderRecordOf(obj: JsonObject | null | undefined): LeaderRecord | undefined {
  if (!obj) return undefined;
  if (obj.kind === 'Lease') {
    const spec = own(obj, 'spec');
    const holder = own(spec, 'holderIdentity');
    const renew = timeOf(own(spec, 'renewTime'));
    const duration = own(spec, 'leaseDurationSeconds');
    if (typeof holder !== 'string' || !holder || renew === undefined) return undefined;
    return { holder, renewTime: renew, leaseDurationSeconds: typeof duration === 'number' ? duration : 15, lock: 'lease' };
  }
  const annotations = own(own(obj, 'metadata'), 'annotations');
  const raw = isObject(annotations) ? annotations[LEADER_ANNOTATION] : undefined;
  if (typeof raw !== 'string') return undefined;
  let rec: unknown;
  try {
    rec = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(rec as JsonObject)) return undefined;
  const r = rec as JsonObject;
  const renew = timeOf(r.renewTime);
  if (typeof r.holderIdentity !== 'string' || !r.holderIdentity || renew === undefined) return undefined;
  return { holder: r.holderIdentity, renewTime: renew, leaseDurationSeconds: typeof r.leaseDurationSeconds === 'number' ? r.leaseDurationSeconds : 15, lock: 'configmap' };
}

/**
 * Whether the record's holder is alive at `now`: renewed within its lease duration (plus a small
 * allowance for clock skew between the host and this machine).
 */
export function isLeaderFresh(rec: LeaderRecord | undefined, now: number, skewMs = 5_000): boolean {
  return !!rec && now - rec.renewTime <= rec.leaseDurationSeconds * 1000 + skewMs;
}
