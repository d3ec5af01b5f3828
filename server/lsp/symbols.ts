/**
 * Document symbols (one per object, with its top-level sections) and workspace symbols (every
 * object of the workspace, matched by kind, namespace and name).
 */
import {
  SymbolKind,
  type CancellationToken,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type SymbolInformation,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver';
import { isObject } from '../engine/index.ts';
import { describe, locate, objectLocation, type WsObject } from '../engine/index.ts';
import type { ServerContext } from './context.ts';

function symbolKind(o: WsObject): SymbolKind {
  switch (o.role.role) {
    case 'federated':
    case 'template':
      return SymbolKind.Class;
    case 'placement':
    case 'override':
      return SymbolKind.Interface;
    case 'kubefedcluster':
    case 'federatedcluster':
      return SymbolKind.Module;
    case 'rsp':
      return SymbolKind.Event;
    case 'ftc':
    case 'kubefedconfig':
      return SymbolKind.Package;
    default:
      return SymbolKind.Object;
  }
}

function name(o: WsObject): string {
  return describe(o).trim() || o.meta.kind || 'object';
}

export function onDocumentSymbols(ctx: ServerContext, params: DocumentSymbolParams, _token: CancellationToken): DocumentSymbol[] {
  const uri = params.textDocument.uri;
  const out: DocumentSymbol[] = [];
  for (const o of ctx.ws.objectsIn(uri)) {
    const range = objectLocation(o).range;
    const sel = o.meta.name ? locate(o, ['metadata', 'name']).range : locate(o, ['kind']).range;
    const children: DocumentSymbol[] = [];
    const spec = o.object.spec;
    if (isObject(spec)) {
      for (const k of Object.keys(spec)) {
        const r = o.doc.offsetsOf([...o.base, 'spec', k]);
        const kr = o.doc.keyOffsetsOf([...o.base, 'spec', k]);
        if (!r || !kr) continue;
        const start = Math.min(r[0], kr[0]);
        children.push({
          name: k,
          kind: SymbolKind.Field,
          range: o.file.range(start, Math.max(r[1], kr[1])),
          selectionRange: o.file.range(kr[0], kr[1]),
        });
      }
    }
    out.push({
      name: name(o),
      detail: o.meta.apiVersion,
      kind: symbolKind(o),
      range,
      selectionRange: containsRange(range, sel) ? sel : range,
      children,
    });
  }
  return out;
}

function containsRange(outer: { start: { line: number; character: number }; end: { line: number; character: number } }, inner: typeof outer): boolean {
  const le = (a: typeof outer.start, b: typeof outer.start) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

export function onWorkspaceSymbols(ctx: ServerContext, params: WorkspaceSymbolParams, token: CancellationToken): SymbolInformation[] {
  const q = params.query.toLowerCase().replace(/\s+/g, '');
  const out: SymbolInformation[] = [];
  for (const o of ctx.ws.analysis().objects) {
    if (token.isCancellationRequested || out.length >= 1000) break;
    const n = name(o);
    if (q && !fuzzy(n.toLowerCase().replace(/\s+/g, ''), q)) continue;
    out.push({ name: n, kind: symbolKind(o), location: objectLocation(o), containerName: o.meta.namespace || undefined });
  }
  return out;
}

/** Every query character appears in order. */
function fuzzy(text: string, q: string): boolean {
  let i = 0;
  for (const ch of text) if (ch === q[i]) i++;
  return i === q.length;
}
