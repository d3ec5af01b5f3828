/**
 * Inlay hints on each override: the template value it replaces, or `∅` when the template has no
 * such field.
 */
import { InlayHintKind, type CancellationToken, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { isObject, type Json } from '../engine/index.ts';
import { getIn, shownValue, type ServerContext } from './context.ts';
import { valueAtPointer } from '../engine/pointer.ts';

function show(v: Json | undefined): string {
  if (v === undefined) return '∅';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}


export function onInlayHints(ctx: ServerContext, params: InlayHintParams, _token: CancellationToken): InlayHint[] {
  const uri = params.textDocument.uri;
  const file = ctx.ws.getFile(uri);
  if (!file) return [];
  const out: InlayHint[] = [];
  const inRange = (line: number) => line >= params.range.start.line && line <= params.range.end.line;
  for (const res of ctx.ws.resourcesIn(uri)) {
    if (res.era === 'v1beta1' && res.main?.uri === uri) {
      const main = res.main;
      const template = getIn(main.object, ['spec', 'template']);
      const list = getIn(main.object, ['spec', 'overrides']);
      if (!Array.isArray(list)) continue;
      list.forEach((e, i) => {
        if (!isObject(e) || !Array.isArray(e.clusterOverrides)) return;
        e.clusterOverrides.forEach((co, j) => {
          if (!isObject(co) || typeof co.path !== 'string') return;
          const r = main.doc.offsetsOf([...main.base, 'spec', 'overrides', i, 'clusterOverrides', j, 'path']);
          if (!r) return;
          const pos = file.lines.position(r[1]);
          if (!inRange(pos.line)) return;
          const old = shownValue(ctx, res.targetKind, co.path, valueAtPointer(template, co.path));
          const verb = co.op === 'remove' ? 'removes' : co.op === 'add' && old === undefined ? 'adds to' : 'template';
          out.push({
            position: pos,
            label: `${verb}: ${show(old)}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: old === undefined ? `The template has no ${co.path}.` : `Template value at ${co.path}: ${JSON.stringify(old)}`,
          });
        });
      });
    } else if (res.era === 'v1alpha1' && res.overrideObject?.uri === uri) {
      const ov = res.overrideObject;
      const path = res.typeConfig.overridePath;
      if (!path?.length) continue;
      const field = path[path.length - 1];
      const template = res.targetKind === 'Namespace' ? res.main?.object : getIn(res.main?.object, ['spec', 'template']);
      const old = shownValue(ctx, res.targetKind, path, getIn(template, path));
      const list = getIn(ov.object, ['spec', 'overrides']);
      if (!Array.isArray(list)) continue;
      list.forEach((e, i) => {
        if (!isObject(e) || !Object.prototype.hasOwnProperty.call(e, field)) return;
        const at = [...ov.base, 'spec', 'overrides', i, field];
        const scalar = !isObject(e[field]) && !Array.isArray(e[field]);
        const r = scalar ? ov.doc.offsetsOf(at) : ov.doc.keyOffsetsOf(at);
        if (!r) return;
        const pos = file.lines.position(scalar ? r[1] : r[1] + 1);
        if (!inRange(pos.line)) return;
        out.push({
          position: pos,
          label: `template: ${show(old)}`,
          kind: InlayHintKind.Type,
          paddingLeft: true,
          tooltip: `Template value of ${path.join('.')}: ${old === undefined ? 'absent' : JSON.stringify(old)}`,
        });
      });
    }
  }
  return out;
}
