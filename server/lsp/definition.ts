/**
 * Go to definition and find references.
 * - a cluster name (placement, overrides, clusterNames, RSP clusters) -> its KubeFedCluster /
 *   FederatedCluster, clusters-file entry or kubeconfig context;
 * - a v1alpha1 template <-> its placement and override (same namespace/name);
 * - a ReplicaSchedulingPreference -> its federated object;
 * - a namespaced v1beta1 resource's namespace -> its FederatedNamespace.
 * References of a cluster name: every place the workspace names that cluster.
 */
import type { CancellationToken, DefinitionParams, Location, ReferenceParams } from 'vscode-languageserver';
import { isObject } from '../engine/index.ts';
import { objectLocation, locate, type WsObject } from '../engine/index.ts';
import type { PathSegment } from '../engine/index.ts';
import { docAt, type ServerContext, getIn } from './context.ts';
import { clusterRefAt, relativePath } from './hover.ts';

export function onDefinition(ctx: ServerContext, params: DefinitionParams, _token: CancellationToken): Location[] | null {
  const uri = params.textDocument.uri;
  const info = docAt(ctx, uri, params.position);
  if (!info) return null;
  const { doc, offset } = info;
  const ref = clusterRefAt(doc, offset);
  if (ref) {
    const c = ctx.ws.clusters().find((x) => x.name === ref.name);
    return c?.location ? [c.location] : null;
  }
  const res = ctx.ws.resourceAt(uri, offset);
  if (!res) return null;
  const { path } = doc.pathAt(offset);
  const { rel } = relativePath(doc, path);
  const inObj = (o?: WsObject) => !!o && o.uri === uri && o.doc === doc;
  const at = rel.map(String).join('.');
  const out: Location[] = [];
  if (res.era === 'v1alpha1' && (at === 'kind' || at === 'metadata.name' || at === 'metadata.namespace' || at === 'apiVersion')) {
    if (inObj(res.main)) {
      if (res.placementObject) out.push(objectLocation(res.placementObject));
      if (res.overrideObject) out.push(objectLocation(res.overrideObject));
    } else if (res.main) out.push(objectLocation(res.main));
  }
  if (res.rsp && inObj(res.rsp.object) && (at === 'spec.targetKind' || at === 'metadata.name' || at === 'kind') && res.main) {
    out.push(objectLocation(res.main));
  }
  if (at === 'metadata.namespace' && res.federatedNamespace && inObj(res.main)) out.push(objectLocation(res.federatedNamespace));
  return out.length ? out : null;
}

/** Every place a workspace object names a cluster. */
export function clusterReferences(ctx: ServerContext, name: string): Location[] {
  const out: Location[] = [];
  for (const o of ctx.ws.analysis().objects) {
    const obj = o.object;
    const kind = o.meta.kind;
    const push = (p: PathSegment[], key = false) => out.push(locate(o, p, { key }));
    const clusters = getIn(obj, ['spec', 'placement', 'clusters']);
    if (Array.isArray(clusters)) clusters.forEach((c, i) => isObject(c) && c.name === name && push(['spec', 'placement', 'clusters', i, 'name']));
    const ovs = getIn(obj, ['spec', 'overrides']);
    if (Array.isArray(ovs)) ovs.forEach((e, i) => isObject(e) && e.clusterName === name && push(['spec', 'overrides', i, 'clusterName']));
    const names = getIn(obj, ['spec', 'clusterNames']);
    if (Array.isArray(names)) names.forEach((n, i) => n === name && push(['spec', 'clusterNames', i]));
    if (kind === 'ReplicaSchedulingPreference') {
      const m = getIn(obj, ['spec', 'clusters']);
      if (isObject(m) && Object.prototype.hasOwnProperty.call(m, name)) push(['spec', 'clusters', name], true);
    }
  }
  return out;
}

export function onReferences(ctx: ServerContext, params: ReferenceParams, _token: CancellationToken): Location[] {
  const uri = params.textDocument.uri;
  const info = docAt(ctx, uri, params.position);
  if (!info) return [];
  const { doc, offset } = info;
  let name = clusterRefAt(doc, offset)?.name;
  if (!name) {
    // on the name of a KubeFedCluster / FederatedCluster
    const { path } = doc.pathAt(offset);
    const { rel, obj } = relativePath(doc, path);
    if (obj && (obj.kind === 'KubeFedCluster' || obj.kind === 'FederatedCluster') && rel.join('.') === 'metadata.name') {
      const n = getIn(obj, ['metadata', 'name']);
      if (typeof n === 'string') name = n;
    }
  }
  if (!name) return [];
  const refs = clusterReferences(ctx, name);
  if (params.context.includeDeclaration) {
    const c = ctx.ws.clusters().find((x) => x.name === name);
    if (c?.location) refs.unshift(c.location);
  }
  return refs;
}
