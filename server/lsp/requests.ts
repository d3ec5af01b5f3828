/**
 * Custom requests and notifications (documented in server/lsp/README.md):
 * - `kubefed/render`     {uri, cluster?, resourceId?, position?} -> per-cluster objects
 * - `kubefed/placement`  {} -> every federated resource × every cluster, with reasons
 * - `kubefed/clusters`   {} -> the cluster inventory
 * - `kubefed/stats`      {} -> server statistics (memory, caches, swallowed errors)
 * - notification `kubefed/inventoryChanged` {clusters}
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { NotificationType, RequestType, type Location, type Position } from 'vscode-languageserver';
import type { JsonObject } from '../engine/index.ts';
import type { FederatedResource } from '../engine/index.ts';
import { objectLocation, overriddenPaths, reasonText } from '../engine/index.ts';
import type { ServerContext } from './context.ts';
import type { DiagnosticsPublisher } from './diagnostics.ts';
import type { ClusterSources } from './clusters.ts';
import { cancelled, guard } from './cancel.ts';
import { yieldToLoop } from './scheduler.ts';
import { maskSecret, renderedYaml } from './preview.ts';

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
  ok: boolean;
  object?: JsonObject;
  /** The object as YAML, overridden lines marked `# ← overridden`. */
  yaml?: string;
  overriddenPaths: string[];
  status?: string;
  message?: string;
}

export interface ResourceSummary {
  id: string;
  era: string;
  kind: string;
  targetKind: string;
  namespace: string;
  name: string;
  location?: Location;
}

export interface RenderResult {
  resources: (ResourceSummary & { clusters: RenderedCluster[] })[];
}

export interface PlacementResult {
  clusters: string[];
  resources: (ResourceSummary & {
    selected: string[];
    error?: string;
    reasons: Record<string, { selected: boolean; why: string; detail?: string; text: string }>;
    rsp?: { totalReplicas: number; schedule: Record<string, number> | null };
    /** Per selected cluster: how many fields its overrides change (a replica schedule's included). */
    overrides?: Record<string, number>;
  })[];
}

export interface ClusterSummary {
  name: string;
  labels: Record<string, string>;
  source: string;
  ready?: boolean;
  context?: string;
  server?: string;
  location?: Location;
}

export const RenderRequest = new RequestType<RenderParams, RenderResult, void>('kubefed/render');
export const PlacementRequest = new RequestType<Record<string, never> | undefined, PlacementResult, void>('kubefed/placement');
export const ClustersRequest = new RequestType<Record<string, never> | undefined, { clusters: ClusterSummary[] }, void>('kubefed/clusters');
export const StatsRequest = new RequestType<{ resetEventLoop?: boolean } | undefined, Record<string, unknown>, void>('kubefed/stats');

/** Event-loop delay since start (or the last reset): how long the server was unresponsive. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** Longest garbage-collection pause since start (or the last reset). */
let maxGcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) maxGcMs = Math.max(maxGcMs, e.duration);
}).observe({ entryTypes: ['gc'] });
export const InventoryChangedNotification = new NotificationType<{ clusters: ClusterSummary[] }>('kubefed/inventoryChanged');

function summary(res: FederatedResource): ResourceSummary {
  return {
    id: res.id,
    era: res.era,
    kind: res.kind,
    targetKind: res.targetKind,
    namespace: res.namespace,
    name: res.name,
    location: res.main ? objectLocation(res.main) : undefined,
  };
}

export function renderResource(ctx: ServerContext, res: FederatedResource, only?: string, unmasked = false): RenderedCluster[] {
  const names = only ? [only] : res.placement.selected;
  return names.map((cluster): RenderedCluster => {
    const selected = res.placement.selected.includes(cluster);
    const r = res.placement.reasons[cluster];
    if (!selected) return { cluster, selected, reason: r ? reasonText(r) : 'not selected', ok: true, overriddenPaths: [] };
    const out = ctx.ws.render(res, cluster);
    const mask = !unmasked && ctx.settings.maskSecrets !== false;
    return {
      cluster,
      selected,
      reason: r ? reasonText(r) : undefined,
      ok: out.ok,
      object: out.object ? (mask ? maskSecret(out.object, res.targetKind) : out.object) : undefined,
      yaml: out.object ? renderedYaml(out.object, out.overriddenPaths, res.targetKind, mask) : undefined,
      overriddenPaths: out.overriddenPaths,
      status: out.status,
      message: out.message,
    };
  });
}

export function registerRequests(ctx: ServerContext, diagnostics: DiagnosticsPublisher, _sources: ClusterSources): void {
  const { connection, ws } = ctx;

  connection.onRequest(
    RenderRequest,
    guard(ctx, 'kubefed/render', async (c, p: RenderParams, token) => {
      let list = ws.resourcesIn(p.uri);
      if (p.resourceId) list = ws.resources().filter((r) => r.id === p.resourceId);
      else if (p.position) {
        const f = ws.getFile(p.uri);
        const r = f ? ws.resourceAt(p.uri, f.lines.offset(p.position)) : undefined;
        list = r ? [r] : [];
      }
      // in slices, so that a large file neither blocks the server nor outlives a cancellation
      const resources: RenderResult['resources'] = [];
      let t = Date.now();
      for (const r of list) {
        if (token.isCancellationRequested) throw cancelled();
        resources.push({ ...summary(r), clusters: renderResource(c, r, p.cluster, p.unmasked) });
        if (Date.now() - t > 20) {
          await yieldToLoop();
          t = Date.now();
        }
      }
      return { resources };
    }, { resources: [] }),
  );

  connection.onRequest(
    PlacementRequest,
    guard(ctx, 'kubefed/placement', () => {
      const clusters = ws.clusters().map((c) => c.name);
      return {
        clusters,
        resources: ws.resources().map((r) => ({
          ...summary(r),
          selected: r.placement.selected,
          error: r.placement.error,
          reasons: Object.fromEntries(
            clusters.map((c) => {
              const why = r.placement.reasons[c] ?? { selected: r.placement.selected.includes(c), why: 'unknown' };
              return [c, { ...why, text: reasonText(why) }];
            }),
          ),
          rsp: r.rsp ? { totalReplicas: r.rsp.totalReplicas, schedule: r.rsp.schedule } : undefined,
          overrides: r.main ? Object.fromEntries(r.placement.selected.map((c) => [c, overriddenPaths(r, c).length])) : {},
        })),
      };
    }, { clusters: [], resources: [] }),
  );

  connection.onRequest(
    ClustersRequest,
    guard(ctx, 'kubefed/clusters', () => ({
      clusters: ws.clusters().map((c) => ({
        name: c.name,
        labels: c.labels,
        source: c.source,
        ready: c.ready,
        context: c.context,
        server: c.server,
        location: c.location,
      })),
    }), { clusters: [] }),
  );

  connection.onRequest(
    StatsRequest,
    guard(ctx, 'kubefed/stats', async (_c, p: { resetEventLoop?: boolean } | undefined) => {
      await ctx.ready;
      await ctx.docs.settled();
      await diagnostics.whenIdle();
      const m = process.memoryUsage();
      const eventLoop = {
        maxMs: Math.round(loopDelay.max / 1e5) / 10,
        p99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
        maxGcPauseMs: Math.round(maxGcMs * 10) / 10,
        maxAnalysisMs: diagnostics.maxAnalysisMs,
      };
      if (p?.resetEventLoop) {
        loopDelay.reset();
        maxGcMs = 0;
        diagnostics.maxAnalysisMs = 0;
      }
      return {
        eventLoop,
        lastPass: diagnostics.lastPass,
        files: ws.uris().length,
        documents: ws.uris().reduce((n, u) => n + (ws.getFile(u)?.docs.length ?? 0), 0),
        openDocuments: ctx.docs.openUris().length,
        resources: ws.resources().length,
        clusters: ws.clusters().length,
        schemaValidations: ctx.yaml.stats.validated,
        schemaCacheHits: ctx.yaml.stats.cached,
        swallowedErrors: ctx.yaml.errors,
        memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
      } as Record<string, unknown>;
    }, {} as Record<string, unknown>),
  );
}
