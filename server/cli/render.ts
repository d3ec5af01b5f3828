/** kfed render: the object each member cluster receives. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from './context.ts';
import type { JsonObject } from '../engine/json.ts';
import { toJson, toYaml, yamlStream } from './output.ts';
import { UsageError } from './args.ts';

export interface RenderOptions {
  clusters: string[];
  format: string;
  outDir?: string;
}

export function render(ctx: Context, opt: RenderOptions): { out: string; err: string; exit: number } {
  const known = ctx.ws.clusters().map((c) => c.name);
  for (const c of opt.clusters) {
    if (!known.includes(c)) throw new UsageError(`unknown cluster "${c}" (known: ${known.join(', ') || 'none — pass --clusters FILE or --kubeconfig FILE'})`);
  }
  const wanted = opt.clusters.length ? opt.clusters : known;
  const perCluster = new Map<string, { object: JsonObject; source: string }[]>(wanted.map((c) => [c, []]));
  const errors: string[] = [];
  // Namespaces first, the order a cluster needs them in.
  const resources = [...ctx.ws.resources()].sort((a, b) => Number(b.targetKind === 'Namespace') - Number(a.targetKind === 'Namespace'));
  for (const res of resources) {
    for (const cluster of res.placement.selected) {
      const list = perCluster.get(cluster);
      if (!list) continue;
      const r = ctx.ws.render(res, cluster);
      const m = res.main!;
      const src = `${m.uri}:${m.file.range(m.doc.start, m.doc.start).start.line + 1}`;
      if (r.ok && r.object) list.push({ object: r.object, source: src });
      else errors.push(`${src}: ${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name} cannot be rendered for ${cluster}: ${r.status ?? 'error'}: ${r.message ?? ''}`);
    }
  }
  const err = errors.length ? errors.join('\n') + '\n' : '';
  const exit = errors.length ? 1 : 0;
  if (opt.outDir) {
    let n = 0;
    for (const [cluster, list] of perCluster) {
      for (const { object } of list) {
        const md = (object.metadata ?? {}) as JsonObject;
        const dir = join(opt.outDir, safe(cluster), md.namespace ? safe(String(md.namespace)) : '_cluster');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${safe(String(object.kind ?? 'object')).toLowerCase()}-${safe(String(md.name ?? 'unnamed'))}.yaml`), toYaml(object));
        n++;
      }
    }
    return { out: `wrote ${n} object(s) for ${perCluster.size} cluster(s) under ${opt.outDir}\n`, err, exit };
  }
  if (opt.format === 'json') {
    const o: Record<string, JsonObject[]> = {};
    for (const [c, list] of perCluster) o[c] = list.map((x) => x.object);
    return { out: toJson({ clusters: o }), err, exit };
  }
  const docs: { comment: string; object: unknown }[] = [];
  for (const [c, list] of perCluster) for (const x of list) docs.push({ comment: `cluster: ${c} (from ${x.source})`, object: x.object });
  return { out: yamlStream(docs), err, exit };
}

/** A file-name-safe version of a Kubernetes name. */
function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}
