/** kfed federate (plain objects -> v1beta1 federated objects) and kfed convert (v1alpha1 -> v1beta1). */
import type { Context } from './context.ts';
import { federateObject } from '../engine/federate.ts';
import { convertResource, convertRsp } from '../engine/convert.ts';
import { yamlStream, toJson } from './output.ts';

export function federate(ctx: Context, format: string): { out: string; err: string; exit: number } {
  const docs: { comment?: string; object: unknown }[] = [];
  const warnings: string[] = [];
  for (const f of ctx.inputs) {
    for (const o of ctx.ws.objectsIn(f.path)) {
      const at = `${o.uri}:${o.file.range(o.doc.start, o.doc.start).start.line + 1}`;
      if (o.role.role !== 'other' && o.role.role !== 'namespace') {
        warnings.push(`${at}: ${o.meta.kind} ${o.meta.name} is a KubeFed object, not federated`);
        continue;
      }
      if (!o.meta.kind || !o.meta.apiVersion) {
        warnings.push(`${at}: skipped: not a Kubernetes object (apiVersion and kind are required)`);
        continue;
      }
      const r = federateObject(o.object);
      for (const w of r.warnings) warnings.push(`${at}: ${w}`);
      docs.push({ object: r.federatedObject });
    }
  }
  for (const f of ctx.inputs) for (const d of ctx.ws.diagnostics(f.path)) if (d.code === 'yaml-syntax') warnings.push(`${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  const out = format === 'json' ? toJson(docs.map((d) => d.object)) : yamlStream(docs);
  return { out, err: warnings.map((w) => `warning: ${w}\n`).join(''), exit: 0 };
}

export function convert(ctx: Context, format: string): { out: string; err: string; exit: number } {
  const docs: { comment?: string; object: unknown }[] = [];
  const warnings: string[] = [];
  for (const res of ctx.ws.resources()) {
    if (res.era !== 'v1alpha1') continue;
    const c = convertResource(res);
    for (const w of c.warnings) {
      const at = w.location ? `${w.location.uri}:${w.location.range.start.line + 1}:${w.location.range.start.character + 1}: ` : '';
      warnings.push(`${at}${w.message}`);
    }
    docs.push({ comment: `from ${c.sources.map((s) => `${s.meta.kind} (${s.uri})`).join(', ')}`, object: c.object });
  }
  for (const o of ctx.ws.analysis().objects) {
    if (o.role.role === 'rsp' && o.role.era === 'v1alpha1') docs.push({ comment: `from ReplicaSchedulingPreference (${o.uri})`, object: convertRsp(o.object) });
    if (o.role.role === 'federatedcluster') warnings.push(`${o.uri}: FederatedCluster ${o.meta.name} is not converted: v1beta1 KubeFedClusters are created by \`kubefedctl join\` (apiEndpoint, caBundle and secret differ)`);
    if (o.role.role === 'ftc' && o.role.era === 'v1alpha1') warnings.push(`${o.uri}: FederatedTypeConfig ${o.meta.name} (v1alpha1) is not converted: use \`kubefedctl enable\` to generate the v1beta1 type`);
  }
  for (const d of ctx.ws.allDiagnostics()) {
    if (d.code === 'orphan-placement' || d.code === 'orphan-override') warnings.push(`${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1}: not converted: ${d.message}`);
  }
  if (docs.length === 0) warnings.push('no v1alpha1 federated resources found');
  const out = format === 'json' ? toJson(docs.map((d) => d.object)) : yamlStream(docs);
  return { out, err: warnings.map((w) => `warning: ${w}\n`).join(''), exit: 0 };
}
