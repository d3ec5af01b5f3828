/**
 * Completion: federation-specific values where the engine knows better than a schema (cluster
 * names with their labels, label keys/values of the inventory, override paths into the template,
 * federated kinds, snippets), yaml-language-server's schema completion everywhere else.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { ClusterInfo } from '../engine/index.ts';
import { isObject, type Json, type JsonObject } from '../engine/index.ts';
import type { ParsedDoc, PathSegment } from '../engine/index.ts';
import { listPointers } from '../engine/index.ts';
import { docAt, getIn, type ServerContext } from './context.ts';
import { cursorContext, type CursorContext } from './cursor.ts';
import { V1ALPHA1_API } from '../engine/apiGroups.ts';
import type { KindInfo } from './schemas.ts';
import { pointerTokens } from '../engine/pointer.ts';
import { OVERRIDE_OPS } from '../engine/overrideCodec.ts';
import { RSP_TARGET_KINDS } from '../engine/rsp.ts';
import { v1alpha1Snippet, v1beta1Snippet } from './snippets.ts';

/** The document as JSON even when it does not parse cleanly (while typing). */
export function lenientValue(doc: ParsedDoc): Json | undefined {
  if (doc.value !== undefined) return doc.value;
  const opts = doc.yaml.options as { logLevel?: string };
  const level = opts.logLevel;
  try {
    opts.logLevel = 'silent';
    return doc.yaml.toJS({ maxAliasCount: 100 }) as Json;
  } catch {
    return undefined;
  } finally {
    opts.logLevel = level;
  }
}

/** `pattern` matches `path`; `*` matches one index. */
export function matchPath(path: readonly PathSegment[], pattern: readonly (string | '*')[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => (p === '*' ? typeof path[i] === 'number' : path[i] === p));
}

export async function onCompletion(ctx: ServerContext, params: CompletionParams, token: CancellationToken): Promise<CompletionList> {
  const uri = params.textDocument.uri;
  const info = docAt(ctx, uri, params.position);
  if (!info) return { isIncomplete: false, items: [] };
  const { doc, slice } = info;
  const lines = doc.text.split('\n').map((l) => l.replace(/\r$/, ''));
  const relLine = params.position.line - slice.startLine;
  if (relLine < 0 || relLine >= lines.length) return { isIncomplete: false, items: [] };
  const cc = cursorContext(lines, relLine, params.position.character);
  const value = lenientValue(doc);
  let obj: JsonObject | undefined = isObject(value) ? value : undefined;
  let rel = cc.parentPath;
  if (obj && obj.kind === 'List' && rel[0] === 'items' && typeof rel[1] === 'number' && Array.isArray(obj.items)) {
    const it = obj.items[rel[1]];
    obj = isObject(it) ? it : undefined;
    rel = rel.slice(2);
  }
  const range: Range = {
    start: { line: params.position.line, character: cc.replaceStart },
    end: { line: params.position.line, character: cc.replaceEnd },
  };
  const fed = federationItems(ctx, obj, rel, cc, range, doc, uri, slice.startLine);
  if (fed) return { isIncomplete: false, items: fed };
  if (token.isCancellationRequested) return { isIncomplete: false, items: [] };
  const list = await ctx.yaml.complete(slice, params.position);
  // Snippets for a new federated resource where a document starts.
  if (rel.length === 0 && !cc.inValue && (!obj || obj.kind === undefined)) {
    list.items.push(...snippetItems(ctx, range));
  }
  return list;
}

function clusterDoc(c: ClusterInfo): string {
  const labels = Object.entries(c.labels);
  const lines = [`**${c.name}** — ${c.source}${c.ready === false ? ' (not ready)' : ''}`];
  if (c.server) lines.push(`\n\`${c.server}\``);
  if (labels.length) lines.push('\n' + labels.map(([k, v]) => `- \`${k}=${v}\``).join('\n'));
  return lines.join('\n');
}

function labelSummary(c: ClusterInfo): string {
  const l = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
  return l.length ? l.join(', ') : 'no labels';
}

function clusterItems(clusters: ClusterInfo[], range: Range, opts: { placed?: Set<string>; suffix?: string; quote?: boolean } = {}): CompletionItem[] {
  return clusters.map((c, i) => {
    const placed = opts.placed ? opts.placed.has(c.name) : true;
    return {
      label: c.name,
      kind: CompletionItemKind.EnumMember,
      detail: labelSummary(c) + (placed ? '' : ' (not placed)'),
      labelDetails: { description: labelSummary(c) },
      documentation: { kind: MarkupKind.Markdown, value: clusterDoc(c) },
      sortText: `${placed ? 0 : 1}${String(i).padStart(4, '0')}`,
      textEdit: { range, newText: c.name + (opts.suffix ?? '') },
      filterText: c.name,
    };
  });
}

function labelIndex(clusters: ClusterInfo[]): Map<string, Map<string, string[]>> {
  const idx = new Map<string, Map<string, string[]>>();
  for (const c of clusters) {
    for (const [k, v] of Object.entries(c.labels)) {
      let m = idx.get(k);
      if (!m) idx.set(k, (m = new Map()));
      const list = m.get(v) ?? [];
      list.push(c.name);
      m.set(v, list);
    }
  }
  return idx;
}

function simple(labels: string[], range: Range, kind: CompletionItemKind, docs: Record<string, string> = {}, suffix = ''): CompletionItem[] {
  return labels.map((l, i) => ({
    label: l,
    kind,
    documentation: docs[l] ? { kind: MarkupKind.Markdown, value: docs[l] } : undefined,
    sortText: String(i).padStart(4, '0'),
    textEdit: { range, newText: l + suffix },
    filterText: l,
  }));
}

/** Where a federation completion is asked for. */
interface FedSite {
  ctx: ServerContext;
  obj: JsonObject | undefined;
  rel: PathSegment[];
  cc: CursorContext;
  range: Range;
  doc: ParsedDoc;
  uri: string;
  /** The engine's inventory, only where needed (it may trigger a workspace analysis). */
  inventory: () => ClusterInfo[];
}

function federationItems(
  ctx: ServerContext,
  obj: JsonObject | undefined,
  rel: PathSegment[],
  cc: CursorContext,
  range: Range,
  doc: ParsedDoc,
  uri: string,
  startLine: number,
): CompletionItem[] | undefined {
  const apiVersion = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj?.kind === 'string' ? obj.kind : '';
  let cached: ClusterInfo[] | undefined;
  const site: FedSite = { ctx, obj, rel, cc, range, doc, uri, inventory: () => (cached ??= ctx.ws.clusters()) };

  // apiVersion / kind at the top of a document
  if (rel.length === 0 && cc.inValue && cc.key === 'kind') return kindItems(ctx, apiVersion, range, doc, startLine);
  if (rel.length === 0 && cc.inValue && cc.key === 'apiVersion') return apiVersionItems(ctx, kind, range);

  const cat = apiVersion && kind ? ctx.schemas.categorize(apiVersion, kind) : undefined;
  const role = obj ? ctx.schemas.roleOf(obj) : undefined;
  if (cat?.type === 'federated' || role?.role === 'federated' || (role?.role === 'unknown-federated' && role.era === 'v1beta1')) {
    const items = v1beta1PlacementItems(site) ?? v1beta1OverrideItems(site, cat?.type === 'federated' ? cat.target : undefined);
    if (items) return items;
  }

  // v1alpha1 placement / override
  if (apiVersion === V1ALPHA1_API) {
    const inventory = site.inventory;
    if (matchPath(rel, ['spec', 'clusterNames', '*']) && cc.seqItem) return clusterItems(inventory(), range);
    if (matchPath(rel, ['spec', 'overrides', '*']) && cc.inValue && cc.key === 'clusterName') return clusterItems(inventory(), range);
  }
  return kind === 'ReplicaSchedulingPreference' ? rspItems(site) : undefined;
}

/** v1beta1 spec.placement: cluster names, label keys and values, selector operators. */
function v1beta1PlacementItems({ obj, rel, cc, range, inventory }: FedSite): CompletionItem[] | undefined {
  if (matchPath(rel, ['spec', 'placement', 'clusters', '*'])) {
    if (cc.inValue && cc.key === 'name') return clusterItems(inventory(), range);
    if (cc.seqItem || (!cc.inValue && !cc.key)) {
      const item = (name: string) => (cc.flow && cc.seqItem ? `{name: ${name}}` : `name: ${name}`);
      return clusterItems(inventory(), range).map((i) => ({ ...i, textEdit: { range, newText: item(i.label) }, filterText: item(i.label) }));
    }
  }
  if (matchPath(rel, ['spec', 'placement', 'clusterSelector', 'matchLabels'])) {
    const idx = labelIndex(inventory());
    if (!cc.inValue) {
      return [...idx.keys()].sort().map((k, i) => ({
        label: k,
        kind: CompletionItemKind.Property,
        detail: [...idx.get(k)!.keys()].join(', '),
        sortText: String(i).padStart(4, '0'),
        textEdit: { range, newText: `${k}: ` },
        filterText: k,
        command: { title: 'values', command: 'editor.action.triggerSuggest' },
      }));
    }
    if (cc.key) return labelValueItems(idx, cc.key, range);
  }
  if (matchPath(rel, ['spec', 'placement', 'clusterSelector', 'matchExpressions', '*'])) {
    const idx = labelIndex(inventory());
    if (cc.inValue && cc.key === 'key') return simple([...idx.keys()].sort(), range, CompletionItemKind.Property);
    if (cc.inValue && cc.key === 'operator') {
      return simple(['In', 'NotIn', 'Exists', 'DoesNotExist'], range, CompletionItemKind.EnumMember, {
        In: 'Label present with one of `values`.',
        NotIn: 'Label absent, or its value not in `values`.',
        Exists: 'Label present (no `values`).',
        DoesNotExist: 'Label absent (no `values`).',
      });
    }
    if (cc.inValue && cc.key === 'values') {
      const k = getIn(obj, ['spec', 'placement', 'clusterSelector', 'matchExpressions', rel[4], 'key']);
      return typeof k === 'string' ? labelValueItems(idx, k, range) : undefined;
    }
  }
  if (matchPath(rel, ['spec', 'placement', 'clusterSelector', 'matchExpressions', '*', 'values', '*']) && cc.seqItem) {
    const k = getIn(obj, ['spec', 'placement', 'clusterSelector', 'matchExpressions', rel[4], 'key']);
    return typeof k === 'string' ? labelValueItems(labelIndex(inventory()), k, range) : undefined;
  }
  return undefined;
}

/** v1beta1 spec.overrides: cluster names (placed first), ops, paths into the template. */
function v1beta1OverrideItems({ ctx, obj, rel, cc, range, doc, uri, inventory }: FedSite, target: KindInfo | undefined): CompletionItem[] | undefined {
  if (matchPath(rel, ['spec', 'overrides', '*']) && cc.inValue && cc.key === 'clusterName') {
    return clusterItems(inventory(), range, { placed: placedClusters(ctx, uri, doc) });
  }
  if (matchPath(rel, ['spec', 'overrides', '*', 'clusterOverrides', '*']) && cc.inValue) {
    if (cc.key === 'op') {
      return simple(['replace', ...OVERRIDE_OPS.filter((o) => o !== 'replace')], range, CompletionItemKind.EnumMember, {
        replace: 'Replace the value at `path` (default). KubeFed\'s json-patch also creates a missing member of an existing object.',
        add: 'Add a member, or insert into an array (`-` appends).',
        remove: 'Remove the value at `path` (`value` is ignored).',
      });
    }
    if (cc.key === 'path' && target) {
      const template = getIn(obj, ['spec', 'template']);
      return pathItems(ctx, target, template, cc.prefix, range);
    }
  }
  return undefined;
}

/** ReplicaSchedulingPreference: cluster names (and "*") as keys of spec.clusters, spec.targetKind. */
function rspItems({ rel, cc, range, inventory }: FedSite): CompletionItem[] | undefined {
  if (matchPath(rel, ['spec', 'clusters']) && !cc.inValue) {
    const value = cc.flow ? ': {weight: 1}' : ':\n' + ' '.repeat(cc.column + 2) + 'weight: 1';
    const items = clusterItems(inventory(), range, { suffix: value });
    items.push({
      label: '"*"',
      kind: CompletionItemKind.EnumMember,
      detail: 'every cluster without its own entry',
      textEdit: { range, newText: '"*"' + value },
      filterText: '*',
    });
    return items;
  }
  if (matchPath(rel, ['spec']) && cc.inValue && cc.key === 'targetKind') {
    return simple([...RSP_TARGET_KINDS], range, CompletionItemKind.EnumMember);
  }
  return undefined;
}

function labelValueItems(idx: Map<string, Map<string, string[]>>, key: string, range: Range): CompletionItem[] {
  const values = idx.get(key);
  if (!values) return [];
  return [...values.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([v, cl], i) => ({
      label: v,
      kind: CompletionItemKind.Value,
      detail: cl.join(', '),
      labelDetails: { description: cl.join(', ') },
      sortText: String(i).padStart(4, '0'),
      textEdit: { range, newText: v },
      filterText: v,
    }));
}

/** Clusters the resource of this document is placed on (for override cluster names). */
function placedClusters(ctx: ServerContext, uri: string, doc: ParsedDoc): Set<string> | undefined {
  const res = ctx.ws.resourceAt(uri, doc.start + Math.max(0, doc.text.search(/^kind:/m)));
  return res ? new Set(res.placement.selected) : undefined;
}

function pathItems(ctx: ServerContext, target: KindInfo, template: Json | undefined, prefix: string, range: Range): CompletionItem[] {
  const typed = prefix.startsWith('/') ? prefix : '/' + prefix;
  const cut = typed.lastIndexOf('/');
  const parent = typed.slice(0, cut);
  const items = new Map<string, CompletionItem>();
  const entries = listPointers(isObject(template) ? template : {});
  let n = 0;
  const add = (pointer: string, hint: string | undefined, detail: string, kind: CompletionItemKind, sort: number) => {
    if (items.has(pointer)) return;
    const segs = pointer.split('/');
    const last = segs.slice(-2).join('/');
    items.set(pointer, {
      label: pointer,
      labelDetails: hint ? { detail: ` (${hint})`, description: last } : { description: detail },
      detail: hint ? `${last} (${hint})` : detail,
      kind,
      sortText: `${sort}${String(n++).padStart(5, '0')}`,
      textEdit: { range, newText: pointer },
      filterText: pointer,
    });
  };
  // direct children of the typed parent that exist in the template
  for (const e of entries) {
    if (!e.pointer.startsWith(parent + '/')) continue;
    const restSegs = e.pointer.slice(parent.length + 1).split('/');
    if (restSegs.length === 1) {
      add(e.pointer, e.kind === 'scalar' ? e.hint : e.hint, e.kind === 'array' ? 'array' : e.kind === 'object' ? 'object' : `= ${e.hint ?? ''}`, e.kind === 'scalar' ? CompletionItemKind.Value : CompletionItemKind.Field, 0);
    }
  }
  // existing leaves below (jump straight to /spec/template/spec/containers/0/image)
  for (const e of entries) {
    if (items.size > 300) break;
    if (e.pointer.startsWith(parent + '/') && e.kind === 'scalar') add(e.pointer, e.hint, `= ${e.hint ?? ''}`, CompletionItemKind.Value, 1);
  }
  // fields the schema allows that the template lacks (add/replace creates them)
  const segs = pointerTokens(parent || '/');
  const schema = segs ? ctx.schemas.schemaAt(target, parent ? segs : []) : undefined;
  const props = schema?.properties as Record<string, { description?: string }> | undefined;
  if (props) {
    for (const [k, s] of Object.entries(props)) {
      if (k === 'status' && parent === '') continue;
      const p = `${parent}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!items.has(p)) {
        add(p, undefined, 'not in the template', CompletionItemKind.Property, 2);
        const it = items.get(p)!;
        if (s?.description) it.documentation = { kind: MarkupKind.Markdown, value: s.description };
      }
    }
  }
  const parentValue = parent ? entries.find((e) => e.pointer === parent) : undefined;
  if (parentValue?.kind === 'array') add(`${parent}/-`, undefined, 'append (op: add)', CompletionItemKind.Operator, 0);
  return [...items.values()];
}

function kindItems(ctx: ServerContext, apiVersion: string, range: Range, doc: ParsedDoc, base: number): CompletionItem[] {
  const out: CompletionItem[] = [];
  const add = (av: string, kind: string, detail: string, sort: number) => {
    const edits: TextEdit[] = [];
    if (av !== apiVersion) {
      const m = /^apiVersion:[ \t]*(.*)$/m.exec(doc.text);
      const docLines = doc.text.slice(0, m ? m.index : 0).split('\n').length - 1;
      if (m) {
        edits.push({ range: { start: { line: base + docLines, character: 0 }, end: { line: base + docLines, character: m[0].length } }, newText: `apiVersion: ${av}` });
      } else {
        edits.push({ range: { start: { line: range.start.line, character: 0 }, end: { line: range.start.line, character: 0 } }, newText: `apiVersion: ${av}\n` });
      }
    }
    out.push({
      label: kind,
      kind: CompletionItemKind.Class,
      detail: av,
      labelDetails: { description: av },
      sortText: `${String(sort).padStart(2, '0')}${kind}`,
      textEdit: { range, newText: kind },
      filterText: kind,
      additionalTextEdits: edits.length ? edits : undefined,
    });
  };
  const sameGroupFirst = (av: string) => (apiVersion && av === apiVersion ? 0 : 1);
  for (const f of ctx.schemas.federatedKinds()) add(f.apiVersion, f.kind, f.apiVersion, sameGroupFirst(f.apiVersion) * 10 + (f.isDefault ? 1 : 2));
  for (const k of ctx.schemas.kubefedKinds()) add(k.apiVersion, k.kind, k.apiVersion, sameGroupFirst(k.apiVersion) * 10 + 3);
  for (const k of ctx.schemas.v1alpha1Kinds()) add(k.apiVersion, k.kind, k.apiVersion, sameGroupFirst(k.apiVersion) * 10 + 4);
  for (const k of ctx.schemas.k8sKinds()) add(k.apiVersion, k.kind, k.apiVersion, sameGroupFirst(k.apiVersion) * 10 + 5);
  // one entry per label: the first (best sorted) wins
  const seen = new Map<string, CompletionItem>();
  for (const it of out.sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1))) if (!seen.has(it.label)) seen.set(it.label, it);
  return [...seen.values()];
}

function apiVersionItems(ctx: ServerContext, kind: string, range: Range): CompletionItem[] {
  const versions = new Map<string, number>();
  const note = (av: string, k: string, sort: number) => {
    const s = kind && k === kind ? 0 : sort;
    versions.set(av, Math.min(versions.get(av) ?? 99, s));
  };
  for (const f of ctx.schemas.federatedKinds()) note(f.apiVersion, f.kind, 1);
  for (const k of ctx.schemas.kubefedKinds()) note(k.apiVersion, k.kind, 2);
  for (const k of ctx.schemas.v1alpha1Kinds()) note(k.apiVersion, k.kind, 3);
  for (const k of ctx.schemas.k8sKinds()) note(k.apiVersion, k.kind, 4);
  return [...versions.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([av, s], i) => ({
      label: av,
      kind: CompletionItemKind.Module,
      sortText: `${s}${String(i).padStart(4, '0')}`,
      textEdit: { range, newText: av },
      filterText: av,
    }));
}

function snippetItems(ctx: ServerContext, range: Range): CompletionItem[] {
  const cluster = ctx.ws.clusters()[0]?.name ?? 'cluster1';
  const out: CompletionItem[] = [];
  const item = (s: { label: string; detail: string; text: string }, filterText: string, sortText: string): CompletionItem => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.text },
    filterText,
    sortText,
  });
  let i = 0;
  for (const f of ctx.schemas.federatedKinds()) {
    if (!f.isDefault) continue;
    out.push(item(v1beta1Snippet(f.apiVersion, f.kind, f.target, cluster), f.kind, `~0${String(i++).padStart(3, '0')}`));
  }
  for (const k of ctx.schemas.v1alpha1Kinds()) {
    if (k.role !== 'template') continue;
    const target = ctx.schemas.targetOf(k.typeConfig);
    out.push(item(v1alpha1Snippet(target, k.typeConfig, cluster), k.kind, `~1${String(i++).padStart(3, '0')}`));
  }
  return out;
}
