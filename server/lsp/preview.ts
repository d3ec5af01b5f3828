/**
 * Per-cluster previews as text: the object a cluster receives as YAML with overridden fields
 * marked, Secret data masked, and placement explanations. Used by hover, code lenses and the
 * kubefed/render request.
 */
import { stringify } from 'yaml';
import type { FederatedResource, RenderedObject } from '../engine/index.ts';
import { maskSecretValues, reasonText, type JsonObject } from '../engine/index.ts';
import { parseFile } from '../engine/index.ts';
import type { ServerContext } from './context.ts';
import { pointerTokens } from '../engine/pointer.ts';

/** A copy of the object with Secret values replaced (keys kept). */
export function maskSecret(obj: JsonObject, targetKind: string): JsonObject {
  return maskSecretValues(obj, targetKind);
}

export const OVERRIDDEN_MARK = '# ← overridden';

/**
 * YAML of a rendered object; every line holding an overridden field ends with
 * `# ← overridden` (the key line for collections).
 */
export function renderedYaml(obj: JsonObject, overriddenPaths: string[], targetKind: string, mask = true): string {
  const shown = mask ? maskSecret(obj, targetKind) : obj;
  const text = stringify(shown, { lineWidth: 0, aliasDuplicateObjects: false });
  if (!overriddenPaths.length) return text;
  const doc = parseFile('preview.yaml', text).docs[0];
  const lines = text.split('\n');
  const marked = new Set<number>();
  for (const p of overriddenPaths) {
    const segs = p.startsWith('/') ? pointerTokens(p) : p.split('.');
    if (!segs) continue;
    const path = segs.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // the field itself, else its nearest existing parent (a removed field marks its parent)
    for (let n = path.length; n > 0; n--) {
      const r = doc.keyOffsetsOf(path.slice(0, n));
      if (r) {
        const line = text.slice(0, r[0]).split('\n').length - 1;
        marked.add(line);
        break;
      }
    }
  }
  for (const l of marked) if (lines[l] !== undefined) lines[l] = `${lines[l]}  ${OVERRIDDEN_MARK}`;
  return lines.join('\n');
}

export function readyText(ctx: ServerContext, cluster: string): string {
  const c = ctx.ws.clusters().find((x) => x.name === cluster);
  if (!c) return ' (unknown cluster)';
  return c.ready === false ? ' (not ready)' : '';
}

/** Markdown: the object `cluster` receives, or why it receives nothing. */
export function clusterPreviewMarkdown(ctx: ServerContext, res: FederatedResource, cluster: string): string {
  const reason = res.placement.reasons[cluster];
  const head = `**${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name} → ${cluster}**${readyText(ctx, cluster)}`;
  if (!res.placement.selected.includes(cluster)) {
    return `${head}\n\nNot placed on ${cluster}${reason ? `: ${reasonText(reason)}` : ''}. The cluster receives nothing${res.era === 'v1beta1' ? ' (an existing copy is deleted)' : ''}.`;
  }
  const r: RenderedObject = ctx.ws.render(res, cluster);
  if (!r.ok || !r.object) return `${head}\n\n**${r.status ?? 'failed'}**: ${r.message ?? 'the object cannot be computed'}`;
  const mask = ctx.settings.maskSecrets !== false;
  const n = r.overriddenPaths.length;
  return `${head}${n ? ` — ${n} override${n === 1 ? '' : 's'}` : ''}\n\n\`\`\`yaml\n${renderedYaml(r.object, r.overriddenPaths, res.targetKind, mask)}\`\`\``;
}

/** Markdown table of the placement decision for every known cluster. */
export function placementMarkdown(ctx: ServerContext, res: FederatedResource): string {
  const clusters = ctx.ws.clusters();
  const sel = res.placement.selected;
  const lines = [`**Placement of ${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name}**: ${sel.length} of ${clusters.length} clusters`];
  if (res.placement.error) lines.push(`\n**ComputePlacementFailed**: ${res.placement.error}`);
  if (res.rsp?.schedule) lines.push(`\nPlacement rewritten by ReplicaSchedulingPreference ${res.rsp.object.meta.name} (${res.rsp.totalReplicas} replicas).`);
  lines.push('', '| cluster | | why |', '|---|---|---|');
  for (const c of clusters) {
    const r = res.placement.reasons[c.name];
    const on = sel.includes(c.name);
    lines.push(`| ${c.name}${c.ready === false ? ' (not ready)' : ''} | ${on ? '✓' : '✗'} | ${r ? reasonText(r) : on ? 'selected' : 'not selected'} |`);
  }
  return lines.join('\n');
}

export function replicaSummary(res: FederatedResource): string | undefined {
  const s = res.rsp?.schedule;
  if (!s) return undefined;
  const names = Object.keys(s).sort().filter((n) => s[n] > 0);
  return `RSP: ${res.rsp!.totalReplicas} replicas → ${names.length ? names.map((n) => s[n]).join(' / ') : 'nowhere'}`;
}

/** `cluster1: 4, cluster2: 6, cluster3: 0` */
export function replicaDetail(res: FederatedResource): string | undefined {
  const s = res.rsp?.schedule;
  if (!s) return undefined;
  return Object.keys(s)
    .sort()
    .map((n) => `${n}: ${s[n]}`)
    .join(', ');
}
