/**
 * Templates against what each cluster they are placed on really serves: a kind or version a
 * member does not serve (the default FederatedIngress target extensions/v1beta1 on a modern
 * cluster, a CRD missing in one member), a field unknown to a member's version, a value of
 * another type there. One diagnostic per problem, naming the clusters with their versions.
 *
 * Problems the reference schemas (what the editor validates every template with: the pinned
 * Kubernetes version and the workspace's CRDs) find as well are left to that validation; those
 * the reference finds but no cluster the template is placed on does (a field newer than the pinned
 * version) are `accepted`: where the editor drops its own finding.
 */
import type { JsonObject } from '../json.ts';
import { getPath, isObject } from '../json.ts';
import { locate } from '../objects.ts';
import type { FederatedResource } from '../resources.ts';
import { targetApiVersion } from '../typeconfigs.ts';
import { diag, type EngineDiagnostic } from '../diagnostics.ts';
import type { Location } from '../text.ts';
import { sourceOf, templateProblems, type ClusterSchemaSet, type FieldProblem, type Segment, type SchemaSource } from './schemaSets.ts';
import type { SchemaBundle } from './openapi.ts';

const sources = new WeakMap<SchemaBundle, SchemaSource>();
function sourceOfSet(set: ClusterSchemaSet): SchemaSource {
  let s = sources.get(set.bundle);
  if (!s) {
    s = sourceOf(set.bundle);
    sources.set(set.bundle, s);
  }
  return s;
}

/** Problems by template object and source: unchanged templates are not walked again. */
const walked = new WeakMap<JsonObject, WeakMap<SchemaSource, FieldProblem[] | null>>();
function problemsOf(template: JsonObject, target: { apiVersion: string; kind: string }, src: SchemaSource): FieldProblem[] | null {
  let bySource = walked.get(template);
  if (!bySource) {
    bySource = new WeakMap();
    walked.set(template, bySource);
  }
  let p = bySource.get(src);
  if (p === undefined) {
    p = templateProblems(template, target, src) ?? null;
    bySource.set(src, p);
  }
  return p;
}

/** `spec.parts[0].name` */
export function fieldPath(path: Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function listOf(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const named = (sets: ClusterSchemaSet[]) => listOf(sets.map((s) => `${s.cluster} (${s.version})`));
const verb = (sets: ClusterSchemaSet[], one: string, many: string) => (sets.length === 1 ? one : many);

/** ` (cluster3 serves example.com/v1beta1)`: the apiVersions of the kind those clusters serve instead, if any. */
function servedInstead(sets: ClusterSchemaSet[], kind: string): string {
  const byVersions = new Map<string, string[]>();
  for (const s of sets) {
    const versions = sourceOfSet(s).apiVersionsOf(kind);
    if (!versions.length) continue;
    const key = listOf(versions);
    byVersions.set(key, [...(byVersions.get(key) ?? []), s.cluster]);
  }
  const parts = [...byVersions].map(([versions, clusters]) => `${listOf(clusters)} ${clusters.length === 1 ? 'serves' : 'serve'} ${versions}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

export interface ClusterSchemaInput {
  resources: readonly FederatedResource[];
  sets: readonly ClusterSchemaSet[];
  /** What the editor already validates templates with; undefined: report every problem. */
  reference?: SchemaSource;
}

export interface ClusterSchemaOutput {
  diagnostics: EngineDiagnostic[];
  /** Findings of the reference schemas that every cluster the template is placed on accepts. */
  accepted: Location[];
}

export function clusterSchemaDiagnostics(input: ClusterSchemaInput): ClusterSchemaOutput {
  const out: ClusterSchemaOutput = { diagnostics: [], accepted: [] };
  if (!input.sets.length) return out;
  const byCluster = new Map(input.sets.map((s) => [s.cluster, s]));
  for (const res of input.resources) {
    const template = res.main ? getPath(res.main.object, ['spec', 'template']) : undefined;
    if (!res.main || !isObject(template)) continue;
    const placed = res.placement.selected.map((c) => byCluster.get(c)).filter((s): s is ClusterSchemaSet => !!s);
    if (!placed.length) continue;
    const all = placed.length === res.placement.selected.length;
    resourceDiagnostics(res, template, placed, input.reference, all, out);
  }
  return out;
}

const keyOf = (p: FieldProblem) => JSON.stringify([p.path, p.problem, p.expected]);

function resourceDiagnostics(res: FederatedResource, template: JsonObject, placed: ClusterSchemaSet[], reference: SchemaSource | undefined, allPlaced: boolean, result: ClusterSchemaOutput): void {
  const main = res.main!;
  const target = { apiVersion: targetApiVersion(res.typeConfig), kind: res.typeConfig.targetKind };
  const what = `${target.apiVersion} ${target.kind}`;
  const out = result.diagnostics;
  const notServed: ClusterSchemaSet[] = [];
  const byProblem = new Map<string, { p: FieldProblem; sets: ClusterSchemaSet[] }>();
  for (const set of placed) {
    const problems = problemsOf(template, target, sourceOfSet(set));
    if (!problems) {
      notServed.push(set);
      continue;
    }
    for (const p of problems) {
      const key = keyOf(p);
      const e = byProblem.get(key) ?? { p, sets: [] };
      e.sets.push(set);
      byProblem.set(key, e);
    }
  }
  if (notServed.length) {
    const hint = servedInstead(notServed, target.kind);
    out.push(diag(locate(main, ['kind']), 'error', 'cluster-kind-not-served', `${named(notServed)} ${verb(notServed, 'does', 'do')} not serve ${what}${hint}: KubeFed cannot propagate it there.`, { data: { clusters: notServed.map((s) => s.cluster) } }));
  }
  const referenceProblems = reference ? problemsOf(template, target, reference) ?? [] : [];
  const known = new Set(referenceProblems.map(keyOf));
  const at = (p: FieldProblem) => locate(main, ['spec', 'template', ...p.path], { key: p.problem === 'unknown-field' });
  if (allPlaced && !notServed.length) for (const p of referenceProblems) if (!byProblem.has(keyOf(p))) result.accepted.push(at(p));
  for (const [key, { p, sets }] of byProblem) {
    if (known.has(key)) continue;
    const message =
      p.problem === 'unknown-field'
        ? `${named(sets)} ${verb(sets, 'does', 'do')} not know the field ${fieldPath(p.path)} of ${what}: its API server drops or rejects it.`
        : `${named(sets)} ${verb(sets, 'expects', 'expect')} ${p.expected} at ${fieldPath(p.path)} of ${what}.`;
    out.push(diag(at(p), p.problem === 'unknown-field' ? 'warning' : 'error', 'cluster-schema', message, { data: { clusters: sets.map((s) => s.cluster) } }));
  }
}
