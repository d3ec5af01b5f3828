/**
 * Messages between the placement webview (webview/main.ts, in the browser) and the extension
 * (client/placementPanel.ts). No DOM and no `vscode` here: both sides import this file.
 *
 * host → webview
 *   {type: 'model', model, focus?}        the whole placement (again after every change)
 *   {type: 'liveState', states, replace?} what Compare/Propagate saw in the clusters
 *   {type: 'error', message}              the placement could not be computed
 * webview → host
 *   {type: 'ready'}                        sent once the script runs (the host answers with the model)
 *   {type: 'refresh'}
 *   {type: 'openSource', location}         reveal the federated resource in its file
 *   {type: 'openPreview', resourceId, cluster}
 *   {type: 'openDiff', resourceId, cluster}
 *   (all three may say `preserveFocus: true`: a mouse click keeps the focus in the view)
 *
 * The model is the language server's answer to `kubefed/placement`: its types come from the
 * protocol (server/lsp/protocol.ts; types only, nothing of the server is bundled into the view).
 */
import type { InventoryChange, PlacedResource, PlacementReason, PlacementResponse } from '../server/lsp/protocol.ts';

export interface SourcePosition {
  line: number;
  character: number;
}

/** An LSP `Location` (zero-based lines and characters). */
export interface SourceLocation {
  uri: string;
  range: { start: SourcePosition; end: SourcePosition };
}

/** One federated resource as `kubefed/placement` answers it, override counts included. */
export type PlacementResource = PlacedResource;

/** Why a cluster is in or out: `why` is the engine's `PlacementWhy` (`explicit-list`, `not-ready`, …), `text` its words. */
export type ClusterReason = PlacementReason;

/** What the view shows: `kubefed/placement` (+ `kubefed/clusters` for labels and readiness). */
export interface PlacementModel extends PlacementResponse {
  clusterInfo?: InventoryChange['clusters'];
}

export type LiveStateKind = 'in-sync' | 'drifted' | 'missing' | 'error';
export const LIVE_STATE_KINDS: readonly LiveStateKind[] = ['in-sync', 'drifted', 'missing', 'error'];

/** What a member cluster had for a resource when Compare or Propagate last looked. */
export interface LiveState {
  resourceId: string;
  cluster: string;
  state: LiveStateKind;
  /** When it was seen (milliseconds since the epoch). */
  at: number;
  /** E.g. the KubeFed status, the changed paths or the error message. */
  detail?: string;
  /** Which operation saw it. */
  source?: 'compare' | 'propagate';
}

export type HostMessage =
  | { type: 'model'; model: PlacementModel; focus?: string }
  | { type: 'liveState'; states: LiveState[]; replace?: boolean }
  | { type: 'error'; message: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'openSource'; location: SourceLocation; resourceId?: string; preserveFocus?: boolean }
  | { type: 'openPreview'; resourceId: string; cluster: string; preserveFocus?: boolean }
  | { type: 'openDiff'; resourceId: string; cluster: string; preserveFocus?: boolean };

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function isPosition(v: unknown): v is SourcePosition {
  return isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && (v.line as number) >= 0 && (v.character as number) >= 0;
}

export function isSourceLocation(v: unknown): v is SourceLocation {
  return isObject(v) && typeof v.uri === 'string' && isObject(v.range) && isPosition(v.range.start) && isPosition(v.range.end);
}

/** A message the host accepts from the webview (anything else is ignored). */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObject(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'openSource':
      return isSourceLocation(v.location);
    case 'openPreview':
    case 'openDiff':
      return typeof v.resourceId === 'string' && typeof v.cluster === 'string' && v.resourceId !== '' && v.cluster !== '';
    default:
      return false;
  }
}

/** A message the webview accepts from the host. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObject(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'model':
      return isObject(v.model) && Array.isArray(v.model.clusters) && Array.isArray(v.model.resources);
    case 'liveState':
      return Array.isArray(v.states);
    case 'error':
      return typeof v.message === 'string';
    default:
      return false;
  }
}

const IN_SYNC = new Set(['in-sync', 'insync', 'in_sync', 'synced', 'sync', 'ok', 'same', 'equal', 'unchanged', 'uptodate', 'up-to-date', 'nochange', 'noop', 'applied', 'created', 'updated', 'success', 'succeeded']);
const DRIFTED = new Set(['drifted', 'drift', 'changed', 'differs', 'different', 'diff', 'modified', 'update', 'outofsync', 'out-of-sync', 'out_of_sync', 'conflict']);
const MISSING = new Set(['missing', 'absent', 'notfound', 'not-found', 'not_found', 'create', 'deleted', 'gone']);

/** Maps a state word of any Compare/Propagate result to the four the view knows. */
export function liveStateKind(word: unknown): LiveStateKind {
  if (typeof word !== 'string') return 'error';
  const w = word.trim().toLowerCase().replace(/\s+/g, '');
  if (w === '' || IN_SYNC.has(w)) return 'in-sync';
  if (DRIFTED.has(w)) return 'drifted';
  if (MISSING.has(w)) return 'missing';
  return 'error';
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * Reads a live state from a loosely shaped record (`{resourceId|id, cluster, state|status|result,
 * at|time|seenAt|timestamp, detail|message|reason}`): undefined when resource or cluster is missing.
 * The time defaults to `now`.
 */
export function toLiveState(v: unknown, now = Date.now()): LiveState | undefined {
  if (!isObject(v)) return undefined;
  const resourceId = [v.resourceId, v.id].find((x) => typeof x === 'string' && x !== '') as string | undefined;
  const cluster = typeof v.cluster === 'string' && v.cluster !== '' ? v.cluster : undefined;
  if (!resourceId || !cluster) return undefined;
  const word = [v.state, v.status, v.result].find((x) => typeof x === 'string');
  const state = v.error !== undefined && v.error !== null && v.error !== '' && word === undefined ? 'error' : liveStateKind(word);
  const at = timeOf(v.at) ?? timeOf(v.time) ?? timeOf(v.seenAt) ?? timeOf(v.timestamp) ?? now;
  const detailRaw = [v.detail, v.message, v.reason, v.error].find((x) => typeof x === 'string' && x !== '');
  const source = v.source === 'compare' || v.source === 'propagate' ? v.source : undefined;
  return { resourceId, cluster, state, at, ...(detailRaw ? { detail: detailRaw as string } : {}), ...(source ? { source } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Reports of Compare (`DiffReport`) and Propagate (`PropagateReport`) of server/cluster

/** How Propagate and Compare name a federated resource: `<kind>/<namespace>/<name>`. */
export function resourceKey(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

/** The part of a `DiffEntry` (Compare) used here. */
export interface DiffEntryLike {
  cluster: string;
  resource: string;
  state: string;
  changes?: { path: string }[];
  unmanaged?: boolean;
  status?: string;
  reason?: string;
  message?: string;
  hint?: string;
}

/** The part of an `Outcome` (Propagate) used here. */
export interface OutcomeLike {
  cluster: string;
  resource: string;
  era?: string;
  result: string;
  status?: string;
  reason?: string;
  message?: string;
  hint?: string;
}

export interface ReportLike {
  entries?: readonly DiffEntryLike[];
  outcomes?: readonly OutcomeLike[];
  dryRun?: boolean;
}

function errorDetail(e: { status?: string; reason?: string; message?: string; hint?: string }): string {
  const head = [e.status, e.reason].filter(Boolean).join(' / ');
  return [head && e.message ? `${head}: ${e.message}` : head || e.message || '', e.hint ? `→ ${e.hint}` : ''].filter(Boolean).join('\n');
}

function fromDiffEntry(e: DiffEntryLike): Pick<LiveState, 'state' | 'detail'> | undefined {
  switch (e.state) {
    case 'in-sync':
      return { state: 'in-sync' };
    case 'drifted': {
      const paths = (e.changes ?? []).map((c) => c.path);
      const detail = [e.unmanaged ? 'exists without the managed label' : '', paths.length ? `changed: ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ` (+${paths.length - 8})` : ''}` : ''].filter(Boolean).join('; ');
      return { state: 'drifted', ...(detail ? { detail } : {}) };
    }
    case 'missing':
      return { state: 'missing', detail: 'placed but absent (Propagate creates it)' };
    case 'unexpected':
      return { state: 'drifted', detail: e.message || 'managed there but no longer placed (Propagate deletes it)' };
    case 'error':
      if (e.reason === 'Cancelled') return undefined;
      return { state: 'error', detail: errorDetail(e) };
    default:
      return undefined;
  }
}

function fromOutcome(o: OutcomeLike, dryRun: boolean): Pick<LiveState, 'state' | 'detail'> | undefined {
  const failed = !!o.status && o.status !== 'WaitingForRemoval';
  if (o.result === 'failed' || (o.result === 'skipped' && failed)) return { state: 'error', detail: errorDetail(o) };
  if (o.result === 'cancelled' || o.result === 'skipped' || o.result === 'pruned') return undefined;
  if (dryRun) {
    // What would happen says what the cluster has now.
    switch (o.result) {
      case 'created':
        return { state: 'missing', detail: 'Propagate would create it' };
      case 'updated':
      case 'adopted':
        return { state: 'drifted', detail: `Propagate would ${o.result === 'adopted' ? 'adopt' : 'update'} it` };
      case 'deleted':
      case 'orphaned':
        return { state: 'drifted', detail: `not placed: Propagate would ${o.result === 'deleted' ? 'delete' : 'orphan'} it` };
      case 'unchanged':
        return { state: 'in-sync' };
      default:
        return undefined;
    }
  }
  switch (o.result) {
    case 'created':
    case 'updated':
    case 'adopted':
    case 'unchanged':
      return { state: 'in-sync', detail: o.result };
    case 'deleted':
    case 'orphaned':
      return { state: 'in-sync', detail: `${o.result}${o.status === 'WaitingForRemoval' ? ' (waiting for finalizers)' : ''}` };
    default:
      return undefined;
  }
}

/**
 * The live states a Compare (`entries`) or Propagate (`outcomes`) report tells, for the resources
 * of the model (entries of other resources, e.g. pruned leftovers, are dropped).
 */
export function liveStatesFromReport(report: ReportLike, resources: readonly Pick<PlacementResource, 'id' | 'era' | 'kind' | 'namespace' | 'name'>[], at = Date.now()): LiveState[] {
  const byKey = new Map<string, string>();
  const byEraKey = new Map<string, string>();
  for (const r of resources) {
    const k = resourceKey(r);
    if (!byKey.has(k)) byKey.set(k, r.id);
    byEraKey.set(`${r.era}|${k}`, r.id);
  }
  const out: LiveState[] = [];
  for (const e of report.entries ?? []) {
    const id = byKey.get(e.resource);
    const m = id && e.cluster ? fromDiffEntry(e) : undefined;
    if (id && m) out.push({ resourceId: id, cluster: e.cluster, at, source: 'compare', ...m });
  }
  for (const o of report.outcomes ?? []) {
    const id = (o.era && byEraKey.get(`${o.era}|${o.resource}`)) || byKey.get(o.resource);
    const m = id && o.cluster ? fromOutcome(o, !!report.dryRun) : undefined;
    if (id && m) out.push({ resourceId: id, cluster: o.cluster, at, source: 'propagate', ...m });
  }
  return out;
}
