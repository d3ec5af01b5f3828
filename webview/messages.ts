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

/**
 * What a cell's live state means for the cluster's object, for colours and counts: as declared
 * (`in-sync`), different (`drifted`: changed, unmanaged, or present where it is not placed),
 * absent where placed (`missing`), not readable or not writable (`error`), or not looked at
 * (`unchecked`: the run was cancelled before it got there).
 */
export type LiveStateKind = 'in-sync' | 'drifted' | 'missing' | 'error' | 'unchecked';
export const LIVE_STATE_KINDS: readonly LiveStateKind[] = ['in-sync', 'drifted', 'missing', 'error', 'unchecked'];

/** What Compare or Propagate last said about a resource in a member cluster. */
export interface LiveState {
  /** The engine's resource id (the id of `kubefed/placement`'s resources). */
  resourceId: string;
  cluster: string;
  state: LiveStateKind;
  /** What the run said, in words: `would create` (a dry run), `created`, `drifted`, `unexpected`, … */
  outcome: string;
  /** When it was seen (milliseconds since the epoch). */
  at: number;
  /** E.g. the KubeFed status, the changed paths or the error message. */
  detail?: string;
  /** Which operation saw it. */
  source: 'compare' | 'propagate';
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
