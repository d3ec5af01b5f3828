/**
 * The schemas each member cluster serves, for the engine's per-cluster template checks: read
 * through server/cluster/schemas.ts (loaded lazily, its own bundle) once the workspace has a
 * federated resource and whenever the members or the kubeconfig files change after that, on
 * `kubefed/refreshSchemas`, and every few minutes (two small requests per cluster; documents only
 * when a hash or the server version changed). A workspace that federates nothing reaches no cluster. Clusters that do not
 * answer get no set: templates are then checked against the pinned schemas only, and nothing
 * about the unreachable cluster lands in them (the log and the refresh answer say it).
 */
import { delimiter } from 'node:path';
import type { ClusterSchemaSet } from '../engine/index.ts';
import type { ServerContext } from './context.ts';
import { RefreshSchemasRequest, type SchemasResponse } from './protocol.ts';

type ClusterModule = typeof import('./serverClusters.ts');

const RECHECK_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

let module: Promise<ClusterModule> | undefined;
function clusterModule(): Promise<ClusterModule> {
  // './serverClusters.js' is dist/serverClusters.js next to the bundle (tsx maps it to the .ts file).
  module ??= import('./serverClusters.js') as Promise<ClusterModule>;
  return module;
}

export class MemberSchemas {
  private loads = 0;
  private last: SchemasResponse = { clusters: [], unreachable: [], fetched: 0 };
  private timer: NodeJS.Timeout | undefined;
  /** The members and kubeconfig files the last load was for. */
  private key = '';

  constructor(
    private readonly ctx: ServerContext,
    /** The kubeconfig files of the settings (none: no cluster is reached). */
    private readonly kubeconfigPaths: () => string[],
    /** Called when the sets changed (diagnostics are published again). */
    private readonly changed: () => void,
  ) {}

  /** After each analysis: reads the schemas when the members changed and the workspace federates something. */
  update(): void {
    const { ws } = this.ctx;
    if (!ws.resources().length) return;
    const key = JSON.stringify([this.kubeconfigPaths(), ws.clusters().map((c) => [c.name, c.context, c.server])]);
    if (key === this.key) return;
    this.key = key;
    this.load().catch((e) => this.ctx.connection.console.error(`kubefed: member schemas: ${String(e)}`));
  }

  /** Answers `kubefed/refreshSchemas`. */
  register(): void {
    this.ctx.connection.onRequest(RefreshSchemasRequest, () => this.load());
  }

  /** Reads every member's schemas; a load overtaken by a newer one is dropped. */
  async load(): Promise<SchemasResponse> {
    const load = ++this.loads;
    this.schedule();
    const paths = this.kubeconfigPaths();
    const members = this.ctx.ws.clusters();
    if (!paths.length || !members.length) return this.apply(load, []);
    const mod = await clusterModule();
    let kubeconfig;
    try {
      kubeconfig = mod.loadKubeconfig({ path: paths.join(delimiter) });
    } catch (e) {
      this.ctx.connection.console.log(`kubefed: member schemas: ${(e as Error).message}`);
      return this.apply(load, []);
    }
    const contextMap = new Map(members.filter((c) => c.context).map((c) => [c.name, c.context!]));
    const connections = new mod.Connections(kubeconfig, { contextMap, timeoutMs: TIMEOUT_MS });
    try {
      const r = await mod.memberSchemas(connections, members.map((c) => c.name));
      const log = this.ctx.connection.console;
      log.log(`kubefed: member schemas: ${r.sets.map((s) => `${s.cluster} ${s.version}`).join(', ') || 'none'} (${r.fetched} documents downloaded)`);
      for (const p of r.problems) log.log(`kubefed: no schemas of cluster ${p.cluster}: ${p.message}`);
      return this.apply(load, r.sets, r.problems, r.fetched);
    } finally {
      connections.close();
    }
  }

  private apply(load: number, sets: ClusterSchemaSet[], problems: { cluster: string; message: string }[] = [], fetched = 0): SchemasResponse {
    if (load !== this.loads) return this.last;
    const { ws, schemas } = this.ctx;
    const before = ws.clusterSchemaSets();
    if (before.length !== sets.length || before.some((s, i) => s !== sets[i])) {
      ws.setClusterSchemas(sets, schemas.pinned);
      this.changed();
    }
    this.last = {
      clusters: sets.map((s) => ({ name: s.cluster, version: s.version, kinds: s.bundle.kinds.length })),
      unreachable: problems.map((p) => ({ name: p.cluster, message: p.message })),
      fetched,
    };
    return this.last;
  }

  /** The next periodic check (a server version or a CRD changed without an edit here). */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load().catch(() => undefined), RECHECK_MS);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
