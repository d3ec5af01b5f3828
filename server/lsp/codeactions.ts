/**
 * Quick fixes for engine diagnostics where the fix is clear, and refactorings:
 * - unknown-cluster / unknown kinds / bad override paths: replace with the suggestion (an unknown
 *   cluster whose suggestion its list already has: remove the entry);
 * - duplicate-placement-cluster: remove the second entry;
 * - override-for-unplaced-cluster: add the cluster to the placement, or remove the dead override;
 * - namespace-not-federated: create the missing FederatedNamespace;
 * - namespace-not-placed: add the clusters to the FederatedNamespace placement;
 * - a v1alpha1 template/placement/override (and its RSP): convert to one v1beta1 object;
 * - a plain Kubernetes object: federate it (kubefedctl federate), in place or below.
 */
import {
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { stringify } from 'yaml';
import { isObject, type JsonObject } from '../engine/index.ts';
import type { ParsedDoc, ParsedFile, PathSegment } from '../engine/index.ts';
import type { WsObject } from '../engine/index.ts';
import type { FederatedResource } from '../engine/index.ts';
import { convertResource, convertRsp } from '../engine/index.ts';
import { federateDocument, isFederationApiVersion } from '../engine/index.ts';
import { V1BETA1_TYPES_API } from '../engine/apiGroups.ts';
import { getIn, type ServerContext } from './context.ts';
import type { DiagnosticsPublisher } from './diagnostics.ts';

function dump(o: JsonObject): string {
  return stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
}

function lineStart(file: ParsedFile, offset: number): number {
  return file.text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(file: ParsedFile, offset: number): number {
  const i = file.text.indexOf('\n', offset);
  return i < 0 ? file.text.length : i;
}

function edit(file: ParsedFile, start: number, end: number, newText: string): TextEdit {
  return { range: file.range(start, end), newText };
}

function action(title: string, kind: string, changes: Record<string, TextEdit[]>, diagnostic?: Diagnostic, preferred = false): CodeAction {
  const a: CodeAction = { title, kind, edit: { changes } as WorkspaceEdit };
  if (diagnostic) a.diagnostics = [diagnostic];
  if (preferred) a.isPreferred = true;
  return a;
}

/** Edits that append an item to a block (or flow) sequence at `path` of an object. */
function appendToSeq(o: WsObject, path: PathSegment[], blockItem: string, flowItem: string): TextEdit | undefined {
  const full = [...o.base, ...path];
  const list = getIn(o.object, path.map(String));
  if (!Array.isArray(list)) return undefined;
  const r = o.doc.offsetsOf(full);
  if (!r) return undefined;
  const file = o.file;
  if (file.text[r[0]] === '[') {
    const inner = file.text.slice(r[0] + 1, r[1] - 1).trim();
    return edit(file, r[0], r[1], `[${inner ? inner + ', ' : ''}${flowItem}]`);
  }
  if (!list.length) return undefined;
  const last = o.doc.offsetsOf([...full, list.length - 1]);
  if (!last) return undefined;
  const ls = lineStart(file, last[0]);
  const dash = /^([ \t]*)-/.exec(file.text.slice(ls, last[0]));
  if (!dash) return undefined;
  const at = lineEnd(file, Math.max(last[0], last[1] - 1));
  return edit(file, at, at, `\n${dash[1]}- ${blockItem}`);
}

/** Edit deleting item `index` of the sequence at `path` (and the key when it was the only item). */
function deleteSeqItem(o: WsObject, path: PathSegment[], index: number): TextEdit | undefined {
  return deleteSeqItemAt(o.file, o.doc, [...o.base, ...path], index);
}

/** The same for a sequence at `seq`, a path from the root of `doc`; block or flow style. */
function deleteSeqItemAt(file: ParsedFile, doc: ParsedDoc, seq: PathSegment[], index: number): TextEdit | undefined {
  const list = getIn(doc.value, seq);
  if (!Array.isArray(list) || index < 0 || index >= list.length) return undefined;
  if (list.length === 1) {
    const k = doc.keyOffsetsOf(seq);
    const v = doc.offsetsOf(seq);
    if (!k || !v) return undefined;
    return edit(file, lineStart(file, k[0]), Math.min(file.text.length, lineEnd(file, Math.max(v[0], v[1] - 1)) + 1), '');
  }
  const r = doc.offsetsOf([...seq, index]);
  const whole = doc.offsetsOf(seq);
  if (!r || !whole) return undefined;
  if (file.text[whole[0]] === '[') {
    // `[a, b, c]`: the item with the separator after it (or before it, for the last one)
    const next = index + 1 < list.length ? doc.offsetsOf([...seq, index + 1]) : undefined;
    const prev = index > 0 ? doc.offsetsOf([...seq, index - 1]) : undefined;
    if (next) return edit(file, r[0], next[0], '');
    return prev ? edit(file, prev[1], r[1], '') : undefined;
  }
  return edit(file, lineStart(file, r[0]), Math.min(file.text.length, lineEnd(file, Math.max(r[0], r[1] - 1)) + 1), '');
}

/** The entry a diagnostic's `data.entry` names (a path from the root of its document), deleted. */
function deleteEntry({ file, d, data }: FixInput): TextEdit | undefined {
  const entry = data.entry;
  if (!Array.isArray(entry) || typeof entry[entry.length - 1] !== 'number') return undefined;
  const doc = file.docAt(file.lines.offset(d.range.start));
  if (!doc) return undefined;
  return deleteSeqItemAt(file, doc, entry.slice(0, -1) as PathSegment[], entry[entry.length - 1] as number);
}

/**
 * unknown-cluster: change to the nearest known name, unless the list already has it (that would
 * list the cluster twice): then remove the entry.
 */
function unknownClusterFixes(input: FixInput): CodeAction[] {
  const { uri, d, data } = input;
  if (!data.suggestionListed) return replaceWithSuggestion('to ')(input);
  const del = deleteEntry(input);
  const name = String(data.cluster);
  return del ? [action(`Remove ${name} (${String(data.suggestion)} is already listed)`, CodeActionKind.QuickFix, { [uri]: [del] }, d, true)] : [];
}

/** duplicate-placement-cluster: remove the second entry. */
function duplicateClusterFixes(input: FixInput): CodeAction[] {
  const del = deleteEntry(input);
  return del ? [action(`Remove the second ${String(input.data.cluster)}`, CodeActionKind.QuickFix, { [input.uri]: [del] }, input.d, true)] : [];
}

function objectsAt(ctx: ServerContext, uri: string, doc: ParsedDoc): WsObject[] {
  return ctx.ws.objectsIn(uri).filter((o) => o.doc === doc);
}

function docText(doc: ParsedDoc): { marker: boolean } {
  return { marker: /^---/.test(doc.text) };
}

/** Replace a whole-document object with new YAML (keeping the `---` marker). */
function replaceDoc(o: WsObject, yamlText: string): TextEdit | undefined {
  if (o.base.length) return undefined;
  const doc = o.doc;
  const { marker } = docText(doc);
  const endsWithNl = doc.text.endsWith('\n');
  let text = (marker ? '---\n' : '') + yamlText;
  if (!endsWithNl && text.endsWith('\n')) text = text.slice(0, -1);
  return edit(o.file, doc.start, doc.end, text);
}

function deleteDoc(o: WsObject): TextEdit | undefined {
  if (o.base.length) return undefined;
  return edit(o.file, o.doc.start, o.doc.end, '');
}

function appendDoc(file: ParsedFile, yamlText: string): TextEdit {
  const end = file.text.length;
  const sep = file.text.length === 0 ? '' : file.text.endsWith('\n') ? '---\n' : '\n---\n';
  return edit(file, end, end, sep + yamlText);
}

function comments(lines: string[]): string {
  return lines.map((l) => `# ${l.replace(/\n/g, ' ')}\n`).join('');
}

export function onCodeAction(ctx: ServerContext, params: CodeActionParams, _token: CancellationToken, _pub: DiagnosticsPublisher): CodeAction[] {
  const uri = params.textDocument.uri;
  const file = ctx.ws.getFile(uri);
  if (!file) return [];
  const out: CodeAction[] = [];
  const only = params.context.only;
  const wants = (k: string) => !only || only.some((o) => k === o || k.startsWith(o + '.'));

  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      try {
        out.push(...quickFixes(ctx, uri, file, d));
      } catch (e) {
        ctx.connection.console.error(`quick fix for ${String(d.code)} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (wants(CodeActionKind.RefactorRewrite)) {
    const offset = file.lines.offset(params.range.start);
    const doc = file.docAt(offset);
    if (doc) {
      const res = ctx.ws.resourceAt(uri, offset);
      if (res?.era === 'v1alpha1') {
        const a = convertAction(ctx, res);
        if (a) out.push(a);
      }
      out.push(...federateActions(ctx, uri, file, doc));
    }
  }
  return out;
}

/** What a quick fix of one diagnostic works from. */
interface FixInput {
  ctx: ServerContext;
  uri: string;
  file: ParsedFile;
  d: Diagnostic;
  data: Record<string, unknown>;
}

type KindSuggestion = { apiVersion: string; kind: string };

function quickFixes(ctx: ServerContext, uri: string, file: ParsedFile, d: Diagnostic): CodeAction[] {
  const data = (d.data ?? {}) as Record<string, unknown>;
  const code = (data.code as string | undefined) ?? (typeof d.code === 'string' ? d.code : undefined);
  const fix = code ? QUICK_FIXES.get(code) : undefined;
  return fix ? fix({ ctx, uri, file, d, data }) : [];
}

/** Replaces the diagnostic's range with `data.suggestion`. */
const replaceWithSuggestion =
  (what: string) =>
  ({ uri, d, data }: FixInput): CodeAction[] =>
    typeof data.suggestion === 'string'
      ? [action(`Change ${what}${data.suggestion}`, CodeActionKind.QuickFix, { [uri]: [{ range: d.range, newText: data.suggestion }] }, d, true)]
      : [];

function suggestionsOf(data: Record<string, unknown>): KindSuggestion[] {
  return Array.isArray(data.suggestions) ? (data.suggestions as KindSuggestion[]) : [];
}

/** unknown-kind: each suggested kind, with its apiVersion when that differs. */
function unknownKindFixes({ uri, file, d, data }: FixInput): CodeAction[] {
  const doc = file.docAt(file.lines.offset(d.range.start));
  const cur = isObject(doc?.value) ? doc!.value.apiVersion : undefined;
  return suggestionsOf(data).map((s, i) => {
    const edits: TextEdit[] = [{ range: d.range, newText: s.kind }];
    if (doc && cur !== s.apiVersion) {
      const r = doc.offsetsOf(['apiVersion']);
      if (r) edits.push(edit(file, r[0], r[1], s.apiVersion));
    }
    return action(`Change to ${s.kind}${cur !== s.apiVersion ? ` (${s.apiVersion})` : ''}`, CodeActionKind.QuickFix, { [uri]: edits }, d, i === 0);
  });
}

function missingApiVersionFixes({ uri, d, data }: FixInput): CodeAction[] {
  const at = { line: d.range.start.line, character: 0 };
  return suggestionsOf(data).map((s, i) =>
    action(`Add apiVersion: ${s.apiVersion}`, CodeActionKind.QuickFix, { [uri]: [{ range: { start: at, end: at }, newText: `apiVersion: ${s.apiVersion}\n` }] }, d, i === 0),
  );
}

/** override-for-unplaced-cluster: place the cluster, or remove its overrides (both eras). */
function unplacedOverrideFixes({ ctx, uri, file, d, data }: FixInput): CodeAction[] {
  const fixes: CodeAction[] = [];
  const cluster = data.cluster as string;
  const index = data.index as number;
  const res = ctx.ws.resourceAt(uri, file.lines.offset(d.range.start));
  if (!res || typeof cluster !== 'string' || typeof index !== 'number') return fixes;
  if (res.era === 'v1beta1' && res.main) {
    const add = appendToSeq(res.main, ['spec', 'placement', 'clusters'], `name: ${cluster}`, `{name: ${cluster}}`);
    if (add) fixes.push(action(`Add ${cluster} to the placement`, CodeActionKind.QuickFix, { [res.main.uri]: [add] }, d, true));
    const del = deleteSeqItem(res.main, ['spec', 'overrides'], index);
    if (del) fixes.push(action(`Remove the overrides for ${cluster}`, CodeActionKind.QuickFix, { [res.main.uri]: [del] }, d));
  } else if (res.era === 'v1alpha1') {
    if (res.placementObject) {
      const add = appendToSeq(res.placementObject, ['spec', 'clusterNames'], cluster, cluster);
      if (add) fixes.push(action(`Add ${cluster} to ${res.placementObject.meta.kind} ${res.name}`, CodeActionKind.QuickFix, { [res.placementObject.uri]: [add] }, d, true));
    }
    if (res.overrideObject) {
      const del = deleteSeqItem(res.overrideObject, ['spec', 'overrides'], index);
      if (del) fixes.push(action(`Remove the override for ${cluster}`, CodeActionKind.QuickFix, { [res.overrideObject.uri]: [del] }, d));
    }
  }
  return fixes;
}

/** namespace-not-federated: a FederatedNamespace with the resource's placement. */
function createFederatedNamespaceFix({ ctx, uri, file, d, data }: FixInput): CodeAction[] {
  const ns = data.namespace as string;
  if (typeof ns !== 'string' || !ns) return [];
  const res = ctx.ws.resourceAt(uri, file.lines.offset(d.range.start));
  const placement = res?.main ? getIn(res.main.object, ['spec', 'placement']) : undefined;
  const fns: JsonObject = {
    apiVersion: V1BETA1_TYPES_API,
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: { placement: isObject(placement) ? placement : { clusterSelector: {} } },
  };
  return [action(`Create FederatedNamespace ${ns}`, CodeActionKind.QuickFix, { [uri]: [appendDoc(file, dump(fns))] }, d, true)];
}

/** namespace-not-placed: adds the clusters to the FederatedNamespace's placement. */
function placeNamespaceFix({ ctx, uri, file, d, data }: FixInput): CodeAction[] {
  const clusters = Array.isArray(data.clusters) ? (data.clusters as string[]) : [];
  const res = ctx.ws.resourceAt(uri, file.lines.offset(d.range.start));
  const fns = res?.federatedNamespace;
  if (!fns || !clusters.length) return [];
  // one edit per cluster would overlap; append all at once
  const block = clusters.map((c) => `name: ${c}`);
  const first = appendToSeq(fns, ['spec', 'placement', 'clusters'], block.join(`\n`), clusters.map((c) => `{name: ${c}}`).join(', '));
  if (!first) return [];
  if (first.newText.startsWith('\n')) {
    const indent = /^\n([ \t]*)- /.exec(first.newText)?.[1] ?? '';
    first.newText = clusters.map((c) => `\n${indent}- name: ${c}`).join('');
  }
  return [action(`Add ${clusters.join(', ')} to FederatedNamespace ${fns.meta.name}`, CodeActionKind.QuickFix, { [fns.uri]: [first] }, d, true)];
}

/** Quick fixes by diagnostic code. */
const QUICK_FIXES = new Map<string, (input: FixInput) => CodeAction[]>([
  ['unknown-cluster', unknownClusterFixes],
  ['duplicate-placement-cluster', duplicateClusterFixes],
  ['unknown-federated-kind', replaceWithSuggestion('kind to ')],
  ['override-path-invalid', replaceWithSuggestion('path to ')],
  ['override-path-not-found', replaceWithSuggestion('path to ')],
  ['unknown-kind', unknownKindFixes],
  ['missing-apiversion', missingApiVersionFixes],
  ['override-for-unplaced-cluster', unplacedOverrideFixes],
  ['namespace-not-federated', createFederatedNamespaceFix],
  ['namespace-not-placed', placeNamespaceFix],
]);

function convertAction(ctx: ServerContext, res: FederatedResource): CodeAction | undefined {
  if (!res.main) return undefined;
  const conv = convertResource(res);
  const changes: Record<string, TextEdit[]> = {};
  const push = (u: string, e: TextEdit | undefined) => {
    if (!e) return false;
    (changes[u] ??= []).push(e);
    return true;
  };
  const head = conv.warnings.length ? comments(conv.warnings.map((w) => `kfed convert: ${w.message}`)) : '';
  if (!push(res.main.uri, replaceDoc(res.main, head + dump(conv.object)))) return undefined;
  for (const s of conv.sources) {
    if (s === res.main) continue;
    if (!push(s.uri, deleteDoc(s))) return undefined;
  }
  if (res.rsp && res.rsp.object.role.role === 'rsp' && (res.rsp.object.role as { era: string }).era === 'v1alpha1') {
    push(res.rsp.object.uri, replaceDoc(res.rsp.object, dump(convertRsp(res.rsp.object.object))));
  }
  const parts = conv.sources.length + (res.rsp ? 1 : 0);
  return {
    title: `Convert ${res.kind} ${res.name} to v1beta1 (${parts} object${parts === 1 ? '' : 's'} → ${String(conv.object.kind)})`,
    kind: CodeActionKind.RefactorRewrite,
    edit: { changes },
  };
}

function federateActions(ctx: ServerContext, uri: string, file: ParsedFile, doc: ParsedDoc): CodeAction[] {
  const out: CodeAction[] = [];
  for (const o of objectsAt(ctx, uri, doc)) {
    if (o.role.role !== 'other' && o.role.role !== 'namespace') continue;
    if (!o.meta.kind || !o.meta.apiVersion || isFederationApiVersion(o.meta.apiVersion) || o.meta.kind.endsWith('List')) continue;
    if (!o.meta.name) continue;
    let result;
    try {
      result = federateDocument(o.object);
    } catch {
      continue;
    }
    const head = result.warnings.length ? comments(result.warnings.map((w) => `kfed federate: ${w}`)) : '';
    const text = head + dump(result.federatedObject);
    const enabled = ctx.ws.analysis().types.byTargetKind('v1beta1', o.meta.kind);
    const note = enabled ? '' : ' (type not enabled: kubefedctl enable needed)';
    const label = `${o.meta.kind} ${o.meta.name}`;
    const rep = replaceDoc(o, text);
    if (rep) out.push(action(`Federate ${label} → Federated${o.meta.kind}${note}`, CodeActionKind.RefactorRewrite, { [uri]: [rep] }));
    if (!o.base.length) {
      const at = doc.end;
      const needsNl = at > 0 && file.text[at - 1] !== '\n';
      out.push(
        action(`Federate ${label}: add Federated${o.meta.kind} below${note}`, CodeActionKind.RefactorRewrite, {
          [uri]: [edit(file, at, at, `${needsNl ? '\n' : ''}---\n${text}`)],
        }),
      );
    }
  }
  return out;
}
