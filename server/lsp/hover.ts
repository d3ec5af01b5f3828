/**
 * Hover: on a cluster name, the object that cluster receives; on a federated resource's kind or
 * name, the objects of its clusters; on a placement, the resolved clusters and why.
 * Everything else: yaml-language-server's schema description.
 */
import { MarkupKind, type CancellationToken, type Hover, type HoverParams } from 'vscode-languageserver';
import { isObject, type JsonObject } from '../engine/index.ts';
import type { ParsedDoc, PathSegment } from '../engine/index.ts';
import type { FederatedResource } from '../engine/index.ts';
import { docAt, getIn, shownValue, type ServerContext } from './context.ts';
import { clusterPreviewMarkdown, placementMarkdown, replicaDetail, replicaSummary } from './preview.ts';

export interface ClusterRef {
  name: string;
  /** Absolute offsets of the name in the document. */
  start: number;
  end: number;
  role: 'placement' | 'override' | 'rsp' | 'clusterNames';
}

/** Strips a `kind: List` item prefix. */
export function relativePath(doc: ParsedDoc, path: PathSegment[]): { base: PathSegment[]; rel: PathSegment[]; obj?: JsonObject } {
  const v = doc.value;
  if (isObject(v) && v.kind === 'List' && path[0] === 'items' && typeof path[1] === 'number' && Array.isArray(v.items)) {
    const it = v.items[path[1]];
    return { base: path.slice(0, 2), rel: path.slice(2), obj: isObject(it) ? it : undefined };
  }
  return { base: [], rel: path, obj: isObject(v) ? v : undefined };
}

/** The cluster name under an offset, if the offset is on one. */
export function clusterRefAt(doc: ParsedDoc, offset: number): ClusterRef | undefined {
  const { path, isKey } = doc.pathAt(offset);
  const { base, rel, obj } = relativePath(doc, path);
  if (!obj) return undefined;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  let role: ClusterRef['role'] | undefined;
  const n = rel.length;
  if (!isKey && n === 5 && rel[0] === 'spec' && rel[1] === 'placement' && rel[2] === 'clusters' && typeof rel[3] === 'number' && rel[4] === 'name') role = 'placement';
  else if (!isKey && n === 4 && rel[0] === 'spec' && rel[1] === 'overrides' && typeof rel[2] === 'number' && rel[3] === 'clusterName') role = 'override';
  else if (!isKey && n === 3 && rel[0] === 'spec' && rel[1] === 'clusterNames' && typeof rel[2] === 'number') role = 'clusterNames';
  else if (isKey && n === 3 && rel[0] === 'spec' && rel[1] === 'clusters' && kind === 'ReplicaSchedulingPreference') role = 'rsp';
  if (!role) return undefined;
  const full = [...base, ...rel];
  const r = isKey ? doc.keyOffsetsOf(full) : doc.offsetsOf(full);
  const name = isKey ? String(rel[2]) : getIn(obj, rel);
  if (typeof name !== 'string' || !r || name === '*') return undefined;
  return { name, start: r[0], end: r[1], role };
}

function isOnIdentity(doc: ParsedDoc, offset: number): boolean {
  const { path } = doc.pathAt(offset);
  const { rel } = relativePath(doc, path);
  return (rel.length === 1 && (rel[0] === 'kind' || rel[0] === 'apiVersion')) || (rel.length === 2 && rel[0] === 'metadata' && rel[1] === 'name');
}

function isOnPlacement(ctx: ServerContext, doc: ParsedDoc, offset: number): boolean {
  const { path } = doc.pathAt(offset);
  const { rel, obj } = relativePath(doc, path);
  if (rel[0] !== 'spec') return false;
  if (rel[1] === 'placement') return true;
  if (rel[1] !== 'clusterNames' || typeof obj?.apiVersion !== 'string' || typeof obj.kind !== 'string') return false;
  return ctx.schemas.categorize(obj.apiVersion, obj.kind)?.type === 'v1alpha1-placement';
}

export function resourceSummary(ctx: ServerContext, res: FederatedResource): string {
  const sel = res.placement.selected;
  const parts = [placementMarkdown(ctx, res)];
  const rsp = replicaSummary(res);
  if (rsp) parts.push(`${rsp} (${replicaDetail(res)})`);
  const show = sel.slice(0, 3);
  for (const c of show) parts.push(clusterPreviewMarkdown(ctx, res, c));
  if (sel.length > show.length) parts.push(`… and ${sel.length - show.length} more cluster(s): hover a cluster name or use “preview” for the others.`);
  return parts.join('\n\n---\n\n');
}

export async function onHover(ctx: ServerContext, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const uri = params.textDocument.uri;
  const info = docAt(ctx, uri, params.position);
  if (!info) return null;
  const { file, doc, offset, slice } = info;
  const res = ctx.ws.resourceAt(uri, offset);
  const ref = clusterRefAt(doc, offset);
  if (ref) {
    const range = file.range(ref.start, ref.end);
    const target = res ?? (ref.role === 'rsp' ? undefined : undefined);
    if (target) return { contents: { kind: MarkupKind.Markdown, value: clusterPreviewMarkdown(ctx, target, ref.name) }, range };
    return { contents: { kind: MarkupKind.Markdown, value: clusterOnlyMarkdown(ctx, ref.name) }, range };
  }
  if (res && isOnIdentity(doc, offset)) {
    const { path } = doc.pathAt(offset);
    const r = doc.offsetsOf(path);
    return { contents: { kind: MarkupKind.Markdown, value: resourceSummary(ctx, res) }, range: r ? file.range(r[0], r[1]) : undefined };
  }
  if (token.isCancellationRequested) return null;
  const yls = await ctx.yaml.hover(slice, params.position);
  if (res && isOnPlacement(ctx, doc, offset)) {
    const extra = yls && typeof yls.contents === 'object' && 'value' in yls.contents ? `\n\n---\n\n${yls.contents.value}` : '';
    return { contents: { kind: MarkupKind.Markdown, value: placementMarkdown(ctx, res) + extra }, range: yls?.range };
  }
  const perCluster = res ? templateFieldMarkdown(ctx, res, doc, offset) : undefined;
  if (perCluster) {
    const base = yls && typeof yls.contents === 'object' && 'value' in yls.contents ? `${yls.contents.value}\n\n---\n\n` : '';
    return { contents: { kind: MarkupKind.Markdown, value: base + perCluster }, range: yls?.range };
  }
  return yls;
}

/**
 * On a field of a v1beta1 template that some cluster overrides: the value each selected
 * cluster receives.
 */
function templateFieldMarkdown(ctx: ServerContext, res: FederatedResource, doc: ParsedDoc, offset: number): string | undefined {
  if (res.era !== 'v1beta1' || !res.main || res.main.doc !== doc) return undefined;
  const { path } = doc.pathAt(offset);
  const rel = path.slice(res.main.base.length);
  if (rel.length < 3 || rel[0] !== 'spec' || rel[1] !== 'template') return undefined;
  const pointer = rel
    .slice(2)
    .map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('');
  const rows: string[] = [];
  let touched = false;
  for (const cluster of res.placement.selected) {
    const r = ctx.ws.render(res, cluster);
    const hit = r.overriddenPaths.some((p) => p === pointer || p.startsWith(pointer + '/') || pointer.startsWith(p + '/'));
    touched ||= hit;
    const v = r.ok ? getIn(r.object, rel.slice(2)) : undefined;
    const shown = !r.ok ? `_${r.status ?? 'failed'}_` : v === undefined ? '∅' : `\`${JSON.stringify(shownValue(ctx, res.targetKind, rel.slice(2), v))}\``;
    rows.push(`| ${cluster} | ${shown} | ${hit ? 'overridden' : ''} |`);
  }
  if (!touched) return undefined;
  return ['**Per cluster**', '', '| cluster | value | |', '|---|---|---|', ...rows].join('\n');
}

function clusterOnlyMarkdown(ctx: ServerContext, name: string): string {
  const c = ctx.ws.clusters().find((x) => x.name === name);
  if (!c) return `**${name}**: not a known cluster (no KubeFedCluster, clusters file entry or kubeconfig context of that name).`;
  const labels = Object.entries(c.labels).map(([k, v]) => `\`${k}=${v}\``).join(', ');
  return `**${c.name}** — ${c.source}${c.ready === false ? ', not ready' : ''}${labels ? `\n\nlabels: ${labels}` : ''}`;
}

export function clusterObject(ctx: ServerContext, name: string): JsonObject | undefined {
  return ctx.ws.clusters().find((c) => c.name === name)?.object;
}
