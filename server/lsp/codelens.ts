/**
 * Code lenses above each federated resource: where it goes, its overrides, its replica schedule
 * and a per-cluster preview. Each command has one argument `{uri, resourceId, cluster?}`; which
 * commands (the extension's or the server's own) is lensCommands.ts's choice.
 */
import type { CancellationToken, CodeLens, CodeLensParams, Range } from 'vscode-languageserver';
import { isObject } from '../engine/index.ts';
import type { FederatedResource } from '../engine/index.ts';
import { objectLocation } from '../engine/index.ts';
import { getIn, type ServerContext } from './context.ts';
import { replicaDetail, replicaSummary } from './preview.ts';
import { lensCommand } from './lensCommands.ts';

export interface ResourceCommandArgs {
  uri: string;
  resourceId: string;
  cluster?: string;
}

/** Number of override operations of a resource (v1beta1 clusterOverrides, v1alpha1 entries). */
export function overrideCount(res: FederatedResource): number {
  if (res.era === 'v1beta1') {
    const list = getIn(res.main?.object, ['spec', 'overrides']);
    if (!Array.isArray(list)) return 0;
    let n = 0;
    for (const e of list) if (isObject(e) && Array.isArray(e.clusterOverrides)) n += e.clusterOverrides.length;
    return n;
  }
  const list = getIn(res.overrideObject?.object, ['spec', 'overrides']);
  return Array.isArray(list) ? list.length : 0;
}

export function placementTitle(res: FederatedResource, total: number): string {
  const sel = res.placement.selected;
  const names = sel.length > 4 ? `${sel.slice(0, 4).join(', ')} +${sel.length - 4}` : sel.join(', ');
  if (res.placement.error) return '→ placement error';
  return `→ ${sel.length ? names : 'no cluster'} (${sel.length} of ${total} cluster${total === 1 ? '' : 's'})`;
}

/** `KubeFed: propagated to 2/3` and the like, when a host is watched and reachable. */
export function hostLensTitle(ctx: ServerContext, res: FederatedResource): string | undefined {
  if (!ctx.host?.watching() || res.era !== 'v1beta1' || !res.main) return undefined;
  const s = ctx.host.status(res);
  if (!s) return 'KubeFed: not in the host';
  const n = `${s.propagatedTo}/${s.clusters.length}`;
  const head = s.state === 'propagated' ? `KubeFed: propagated to ${n}` : s.state === 'failed' ? `KubeFed: not propagated (${n})` : 'KubeFed: not yet reconciled';
  return s.differs.length ? `${head} · host differs from file` : head;
}

export async function onCodeLens(ctx: ServerContext, params: CodeLensParams, _token: CancellationToken): Promise<CodeLens[]> {
  // before the index and the inventory are complete every lens would say "0 of 0 clusters"
  await ctx.ready;
  const uri = params.textDocument.uri;
  const total = ctx.ws.clusters().length;
  const lenses: CodeLens[] = [];
  for (const res of ctx.ws.resourcesIn(uri)) {
    const args = (cluster?: string): ResourceCommandArgs[] => [{ uri, resourceId: res.id, ...(cluster ? { cluster } : {}) }];
    // lens on the main object, and on v1alpha1 placement/override objects of this file
    const anchors = [res.main, res.placementObject, res.overrideObject].filter((o) => o && o.uri === uri);
    for (const o of anchors) {
      const loc = objectLocation(o!);
      const range: Range = { start: { line: loc.range.start.line, character: 0 }, end: { line: loc.range.start.line, character: 0 } };
      lenses.push({ range, command: { title: placementTitle(res, total), command: lensCommand('placement'), arguments: args() } });
      const n = overrideCount(res);
      if (n > 0 || o === res.main) {
        lenses.push({ range, command: { title: `${n} override${n === 1 ? '' : 's'}`, command: lensCommand('overrides'), arguments: args() } });
      }
      const rsp = replicaSummary(res);
      if (rsp) lenses.push({ range, command: { title: rsp, command: lensCommand('schedule'), arguments: args(), tooltip: `ReplicaSchedulingPreference ${res.rsp!.object.meta.name}: ${replicaDetail(res)}` } });
      const host = o === res.main ? hostLensTitle(ctx, res) : undefined;
      if (host) lenses.push({ range, command: { title: host, command: lensCommand('placement'), arguments: args(), tooltip: 'What KubeFed reports in the host cluster (kubefed.hostCluster)' } });
      if (o === res.main && res.placement.selected.length) {
        lenses.push({ range, command: { title: 'preview', command: lensCommand('preview'), arguments: args(res.placement.selected[0]) } });
      }
    }
  }
  return lenses;
}
