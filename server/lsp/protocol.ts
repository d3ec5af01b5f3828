/**
 * The custom protocol of the KubeFed language server, typed once (documented in
 * server/lsp/README.md), after rust-analyzer's `editors/code/src/lsp_ext.ts`:
 * - `kubefed/render`     {uri, cluster?, resourceId?, position?, unmasked?} -> per-cluster objects
 * - `kubefed/placement`  {} -> every federated resource × every cluster, with reasons
 * - `kubefed/clusters`   {} -> the cluster inventory
 * - `kubefed/stats`      {resetEventLoop?} -> server statistics (memory, caches, swallowed errors)
 * - notification `kubefed/inventoryChanged` {clusters}
 * - notification `kubefed/hostState` {host, connected, controller, clusters} (a host is watched)
 *
 * The server (requests.ts, server.ts), the extension (client/) and, for types only, the placement
 * webview (webview/messages.ts) import this file. It has no side effects: request and notification
 * type objects and types, nothing else. Its vocabularies (`why`, `era`, statuses, cluster sources)
 * are the engine's own unions.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { ClusterInfo, ClusterReason, JsonObject, Location, Position } from '../engine/index.ts';
import type { RenderStatus } from '../engine/render.ts';
import type { FederatedResource } from '../engine/resources.ts';
import type { HostState } from '../engine/hostStatus.ts';

// ---------------------------------------------------------------------------------------------
// kubefed/render

export interface RenderParams {
  uri: string;
  /** Only this cluster (default: every selected cluster). */
  cluster?: string;
  /** Only this resource (ids as in code lens arguments). */
  resourceId?: string;
  /** Only the resource at this position. */
  position?: Position;
  /** Include Secret data unmasked (default false). */
  unmasked?: boolean;
}

export interface RenderedCluster {
  cluster: string;
  selected: boolean;
  reason?: string;
  /** False: the object cannot be computed (`status` and `message` say why). */
  ok: boolean;
  object?: JsonObject;
  /** The object as YAML, overridden lines marked `# ← overridden`. */
  yaml?: string;
  overriddenPaths: string[];
  /** The KubeFed status that keeps the object from being computed. */
  status?: RenderStatus;
  message?: string;
}

/** A federated resource; `id` is the engine's resource id (code lens arguments, placement, live states). */
export interface ResourceSummary extends Pick<FederatedResource, 'id' | 'era' | 'kind' | 'targetKind' | 'namespace' | 'name'> {
  location?: Location;
}

export interface RenderedResource extends ResourceSummary {
  clusters: RenderedCluster[];
}

export interface RenderResponse {
  resources: RenderedResource[];
}

export const RenderRequest = new RequestType<RenderParams, RenderResponse, void>('kubefed/render');

// ---------------------------------------------------------------------------------------------
// kubefed/placement

/** Why a cluster is in or out: the engine's reason (`why` is a `PlacementWhy`) and its words. */
export type PlacementReason = ClusterReason & { text: string };

/** One federated resource with its placement. */
export interface PlacedResource extends ResourceSummary {
  selected: string[];
  /** The placement cannot be computed (ComputePlacementFailed): then no cluster has a reason. */
  error?: string;
  /** By cluster name; a cluster without an entry has no reason (the placement failed). */
  reasons: Record<string, PlacementReason>;
  rsp?: { totalReplicas: number; schedule: Record<string, number> | null };
  /** Per selected cluster: how many fields its overrides change (a replica schedule's included). */
  overrides?: Record<string, number>;
  /** KubeFed's own status of the resource in the watched host (`kubefed.hostCluster`), when the host has it. */
  host?: HostResourceState;
}

/** KubeFed's status of one resource, from its object in the host. */
export interface HostResourceState {
  state: HostState;
  /** By cluster: KubeFed's status ('' = propagated). */
  clusters: Record<string, string>;
  propagatedTo: number;
  /** When the Propagation condition last changed (RFC 3339). */
  since?: string;
  differs: string[];
}

export interface PlacementResponse {
  clusters: string[];
  resources: PlacedResource[];
}

/**
 * Answers the placement, or a `ResponseError` (code `InternalError`, or `InvalidParams` for
 * params other than `{}`) whose message says what went wrong: never an empty answer instead.
 */
export const PlacementRequest = new RequestType<Record<string, never> | undefined, PlacementResponse, void>('kubefed/placement');

// ---------------------------------------------------------------------------------------------
// kubefed/clusters, kubefed/inventoryChanged

/** A member cluster of the inventory as the server sends it (the engine's `ClusterInfo` without its object). */
export type InventoryCluster = Omit<ClusterInfo, 'object'>;

export interface ClustersResponse {
  clusters: InventoryCluster[];
}

export const ClustersRequest = new RequestType<Record<string, never> | undefined, ClustersResponse, void>('kubefed/clusters');

/** Sent whenever the set of clusters, their labels, sources or readiness change. */
export interface InventoryChange {
  clusters: Pick<InventoryCluster, 'name' | 'labels' | 'source' | 'ready'>[];
}

export const InventoryChangedNotification = new NotificationType<InventoryChange>('kubefed/inventoryChanged');

// ---------------------------------------------------------------------------------------------
// kubefed/hostState

/** The watched KubeFed host: reachable or not, its controller, its clusters as KubeFed sees them. */
export interface HostStateParams {
  /** The kubeconfig context of the host (`kubefed.hostCluster`); undefined: no host is watched. */
  host?: string;
  connected: boolean;
  /** What went wrong, while not connected (e.g. the context is missing, the host does not answer). */
  error?: string;
  controller?: { running: boolean; holder?: string };
  clusters: { name: string; ready: boolean }[];
  /** Federated resources of the workspace that KubeFed reports as not propagated (Propagation False). */
  failing?: number;
}

export const HostStateNotification = new NotificationType<HostStateParams>('kubefed/hostState');

// ---------------------------------------------------------------------------------------------
// kubefed/stats

export interface StatsParams {
  /** Restart the event-loop measurement after answering. */
  resetEventLoop?: boolean;
}

export interface ServerStats {
  eventLoop: { maxMs: number; p99Ms: number; maxGcPauseMs: number; maxAnalysisMs: number };
  /** Durations of the last diagnostics pass. */
  lastPass: { analysisMs: number; changedMs: number; othersMs: number };
  files: number;
  documents: number;
  openDocuments: number;
  resources: number;
  clusters: number;
  schemaValidations: number;
  schemaCacheHits: number;
  /** Failures of the embedded yaml-language-server on odd input. */
  swallowedErrors: string[];
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

/** Answers once the initial index is complete and every pending diagnostic is published. */
export const StatsRequest = new RequestType<StatsParams | undefined, ServerStats, void>('kubefed/stats');

// ---------------------------------------------------------------------------------------------
// kubefed/refreshSchemas

/** The schemas of the member clusters after a refresh: who answered with which version, who did not. */
export interface SchemasResponse {
  clusters: { name: string; version: string; kinds: number }[];
  unreachable: { name: string; message: string }[];
  /** OpenAPI documents downloaded (the others came from the cache). */
  fetched: number;
}

/** Reads again what each member cluster serves (its version and OpenAPI v3) and re-validates. */
export const RefreshSchemasRequest = new RequestType<Record<string, never> | undefined, SchemasResponse, void>('kubefed/refreshSchemas');
