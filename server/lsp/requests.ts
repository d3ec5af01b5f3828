/**
 * The handlers of the custom requests (their types and method names: protocol.ts; documented in
 * server/lsp/README.md). `registerRequests` also starts the event-loop monitor that
 * `kubefed/stats` reports.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { FederatedResource, Workspace } from '../engine/index.ts';
import { isObject, objectLocation, overriddenPaths, reasonText } from '../engine/index.ts';
import type { HostView, ServerContext } from './context.ts';
import type { DiagnosticsPublisher } from './diagnostics.ts';
import type { ClusterSources } from './clusters.ts';
import { ANSWER_ERROR, cancelled, guard } from './cancel.ts';
import { yieldToLoop } from './scheduler.ts';
import { maskSecret, renderedYaml } from './preview.ts';
import { LoopMonitor } from './loopMonitor.ts';
import {
  ClustersRequest,
  PlacementRequest,
  RenderRequest,
  StatsRequest,
  type PlacedResource,
  type PlacementResponse,
  type RenderedCluster,
  type RenderParams,
  type RenderResponse,
  type ResourceSummary,
  type ServerStats,
  type StatsParams,
} from './protocol.ts';

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

/**
 * Every federated resource × every known cluster. `params` must be `{}` or absent: anything else
 * (e.g. `{uri}`, as `kubefed/render` takes) is answered with InvalidParams rather than with the
 * whole workspace.
 */
export function placementOf(ws: Workspace, params: unknown, host?: Pick<HostView, 'placementState'>): PlacementResponse {
  if (params !== undefined && params !== null) {
    const extra = isObject(params) ? Object.keys(params) : undefined;
    if (!extra || extra.length) {
      const got = extra ? `"${extra.join('", "')}"` : JSON.stringify(params);
      throw new ResponseError(ErrorCodes.InvalidParams, `kubefed/placement takes no parameters ({} or none), not ${got}`);
    }
  }
  const clusters = ws.clusters().map((c) => c.name);
  return {
    clusters,
    resources: ws.resources().map((r): PlacedResource => {
      const reasons: PlacedResource['reasons'] = {};
      for (const c of clusters) {
        const why = Object.prototype.hasOwnProperty.call(r.placement.reasons, c) ? r.placement.reasons[c] : undefined;
        if (why) reasons[c] = { ...why, text: reasonText(why) };
      }
      return {
        ...summary(r),
        selected: r.placement.selected,
        error: r.placement.error,
        reasons,
        rsp: r.rsp ? { totalReplicas: r.rsp.totalReplicas, schedule: r.rsp.schedule } : undefined,
        overrides: r.main ? Object.fromEntries(r.placement.selected.map((c) => [c, overriddenPaths(r, c).length])) : {},
        ...(host?.placementState(r) ? { host: host.placementState(r) } : {}),
      };
    }),
  };
}

export function registerRequests(ctx: ServerContext, diagnostics: DiagnosticsPublisher, _sources: ClusterSources): void {
  const { connection, ws } = ctx;
  const loop = new LoopMonitor().start();

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
      const resources: RenderResponse['resources'] = [];
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

  // A failure is answered with an error: an empty answer would read as "no federated resources".
  connection.onRequest(PlacementRequest, guard(ctx, 'kubefed/placement', (c, p: unknown) => placementOf(c.ws, p, c.host), ANSWER_ERROR));

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
    guard(ctx, 'kubefed/stats', async (_c, p: StatsParams | undefined): Promise<ServerStats> => {
      await ctx.ready;
      await ctx.docs.settled();
      await diagnostics.whenIdle();
      const m = process.memoryUsage();
      const eventLoop = { ...loop.stats(), maxAnalysisMs: diagnostics.maxAnalysisMs };
      if (p?.resetEventLoop) {
        loop.reset();
        diagnostics.maxAnalysisMs = 0;
      }
      return {
        eventLoop,
        lastPass: { ...diagnostics.lastPass },
        files: ws.uris().length,
        documents: ws.uris().reduce((n, u) => n + (ws.getFile(u)?.docs.length ?? 0), 0),
        openDocuments: ctx.docs.openUris().length,
        resources: ws.resources().length,
        clusters: ws.clusters().length,
        schemaValidations: ctx.yaml.stats.validated,
        schemaCacheHits: ctx.yaml.stats.cached,
        swallowedErrors: ctx.yaml.errors,
        memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
      };
    }, ANSWER_ERROR),
  );
}
