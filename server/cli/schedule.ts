/** kfed schedule: what each ReplicaSchedulingPreference does to its target. */
import type { Context } from './context.ts';
import { getPath } from '../engine/json.ts';
import { toJson } from './output.ts';

export function schedule(ctx: Context, format: string): { out: string; exit: number } {
  const rows = [];
  for (const res of ctx.ws.resources()) {
    if (!res.rsp) continue;
    const rsp = res.rsp;
    const target = res.era === 'v1beta1' ? res.effective : undefined;
    rows.push({
      rsp: `${rsp.object.meta.namespace}/${rsp.object.meta.name}`,
      file: rsp.object.uri,
      target: `${res.kind} ${res.namespace}/${res.name}`,
      totalReplicas: rsp.totalReplicas,
      schedule: rsp.schedule,
      placement: res.era === 'v1beta1' ? getPath(target, ['spec', 'placement', 'clusters']) ?? null : res.placement.selected,
      overrides: res.era === 'v1beta1' ? getPath(target, ['spec', 'overrides']) ?? null : getPath(res.effectiveOverride, ['spec', 'overrides']) ?? null,
    });
  }
  const missing = ctx.ws.allDiagnostics().filter((d) => d.code === 'rsp-target-missing');
  if (format === 'json') return { out: toJson(rows), exit: missing.length ? 1 : 0 };
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`${r.file}: ReplicaSchedulingPreference ${r.rsp} -> ${r.target} (${r.totalReplicas} replicas)`);
    if (!r.schedule) {
      lines.push('  no schedule: no ready cluster to schedule on');
      continue;
    }
    for (const [c, n] of Object.entries(r.schedule).sort()) lines.push(`  ${c.padEnd(24)} ${n}`);
    lines.push(`  placement: ${JSON.stringify(r.placement)}`);
    lines.push(`  overrides: ${JSON.stringify(r.overrides)}`);
  }
  for (const d of missing) lines.push(`${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  if (rows.length === 0 && missing.length === 0) lines.push('no ReplicaSchedulingPreference found');
  return { out: lines.join('\n') + '\n', exit: missing.length ? 1 : 0 };
}
