/**
 * The checks behind the engine's diagnostics: every federated resource, its placement and
 * overrides, v1alpha1 parts without a template, RSPs, and KubeFed's own control-plane objects.
 */
import type { JsonObject } from './json.ts';
import { getPath, isObject, own } from './json.ts';
import type { PathSegment } from './parse.ts';
import type { WsObject } from './objects.ts';
import { locate, describe, objectLocation } from './objects.ts';
import type { ClusterInfo } from './inventory.ts';
import type { FederatedResource, AssembleOutput } from './resources.ts';
import { targetTypeOf } from './resources.ts';
import { diag, type EngineDiagnostic, type RelatedInfo } from './diagnostics.ts';
import { checkOverridePath } from './overrides.ts';
import { decodeOverrides } from './overrideCodec.ts';
import { applyPatch } from './jsonpatch.ts';
import { nearestPointer } from './paths.ts';
import { renderV1beta1 } from './render.ts';
import { RSP_TARGET_KINDS, clobberedReplicaOverrides } from './rsp.ts';
import { validateKubeFedCluster } from './validation/kubefedcluster.ts';
import { validateFederatedTypeConfig } from './validation/ftc.ts';
import { validateKubeFedConfig } from './validation/kubefedconfig.ts';
import { kubeFedConfigDefaults } from './kubefedconfig-defaults.ts';
import type { TypeIndex } from './model.ts';
import { nearest } from './spelling.ts';

export interface CheckContext {
  objects: WsObject[];
  assembled: AssembleOutput;
  clusters: ClusterInfo[];
  types: TypeIndex;
}

/** Resources checked between two yields of checkSteps. */
const RESOURCES_PER_STEP = 250;

/** The checks, yielding every RESOURCES_PER_STEP resources (Workspace.analysisInSteps). */
export function* checkSteps(ctx: CheckContext): Generator<void, EngineDiagnostic[], void> {
  const out: EngineDiagnostic[] = [];
  const known = new Set(ctx.clusters.map((c) => c.name));
  const clusterNames = ctx.clusters.map((c) => c.name);

  for (const o of ctx.objects) {
    const r = o.role;
    if (r.role === 'unknown-federated' && r.unregisteredGroup) {
      const target = o.meta.kind.replace(/^Federated/, '').toLowerCase();
      out.push(
        diag(locate(o, ['kind']), 'info', 'unknown-federated-kind',
          `${o.meta.kind} looks like a federated resource, but no FederatedTypeConfig in the workspace has the federated group ${r.expectedGroup}: it is neither previewed nor checked. ` +
            `Add its FederatedTypeConfig to the workspace (\`kubefedctl enable ${target} --federated-group ${r.expectedGroup}\` creates it).`),
      );
    } else if (r.role === 'unknown-federated') {
      const target = o.meta.kind.replace(/^Federated/, '');
      const hint = r.suggestion
        ? ` Did you mean ${r.suggestion}?`
        : r.era === 'v1beta1' && target
          ? ` Enable it (\`kubefedctl enable ${target.toLowerCase()}\`) and add the FederatedTypeConfig to the workspace.`
          : '';
      out.push(
        diag(locate(o, ['kind']), 'error', 'unknown-federated-kind',
          `${o.meta.kind} is not a federated kind of ${r.expectedGroup}: no FederatedTypeConfig enables it.${hint}`,
          { data: r.suggestion ? { suggestion: r.suggestion } : undefined }),
      );
    } else if (r.role === 'kubefedcluster') {
      out.push(...admission(o, validateKubeFedCluster(o.object), 'invalid-kubefedcluster'));
    } else if (r.role === 'ftc' && r.era === 'v1beta1') {
      out.push(...admission(o, validateFederatedTypeConfig(o.object), 'invalid-federatedtypeconfig'));
    } else if (r.role === 'kubefedconfig') {
      // The mutating webhook defaults a KubeFedConfig before it is validated.
      out.push(...admission(o, validateKubeFedConfig(kubeFedConfigDefaults(o.object)), 'invalid-kubefedconfig'));
    }
  }

  out.push(...duplicatesInFile(ctx.objects));
  let n = 0;
  for (const res of ctx.assembled.resources) {
    checkResource(res, known, clusterNames, out);
    if (++n % RESOURCES_PER_STEP === 0) yield;
  }

  for (const p of ctx.assembled.orphanPlacements) {
    out.push(diag(locate(p, ['kind']), 'warning', 'orphan-placement',
      `${describe(p)} has no ${p.role.role === 'placement' ? (p.role as { typeConfig: { templateKind?: string } }).typeConfig.templateKind ?? 'template' : 'template'} named ${p.meta.namespace ? p.meta.namespace + '/' : ''}${p.meta.name} in the workspace: it places nothing.`));
  }
  for (const ov of ctx.assembled.orphanOverrides) {
    out.push(diag(locate(ov, ['kind']), 'warning', 'orphan-override',
      `${describe(ov)} has no template named ${ov.meta.namespace ? ov.meta.namespace + '/' : ''}${ov.meta.name} in the workspace: it overrides nothing.`));
  }
  for (const rsp of ctx.assembled.rspWithoutTarget) {
    const tk = getPath(rsp.object, ['spec', 'targetKind']);
    const valid = typeof tk === 'string' && RSP_TARGET_KINDS.includes(tk);
    out.push(diag(locate(rsp, ['spec', 'targetKind']), valid ? 'warning' : 'error', 'rsp-target-missing',
      valid
        ? `No ${String(tk)} ${rsp.meta.namespace}/${rsp.meta.name} in the workspace: this ReplicaSchedulingPreference schedules nothing.`
        : `spec.targetKind must be ${RSP_TARGET_KINDS.join(' or ')} (got ${JSON.stringify(tk ?? null)}).`));
  }
  return out;
}

/**
 * One object (group, kind, namespace, name) defined twice in one file: `kubectl apply -f` keeps the
 * later one, so one of them is a mistake. (Across files it may be on purpose, e.g. one folder per
 * environment, and is left alone.)
 */
function duplicatesInFile(objects: WsObject[]): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  let uri: string | undefined;
  let seen = new Map<string, WsObject>();
  for (const o of objects) {
    if (o.uri !== uri) {
      uri = o.uri;
      seen = new Map();
    }
    if (!o.meta.kind || !o.meta.name) continue;
    const key = `${o.meta.group}|${o.meta.kind}|${o.meta.namespace}|${o.meta.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    const line = objectLocation(first).range.start.line + 1;
    out.push(diag(locate(o, ['metadata', 'name']), 'warning', 'duplicate-object',
      `${describe(o)} is defined twice in this file (first at line ${line}): applied, the later one replaces the earlier. Keep one.`,
      { related: [{ location: locate(first, ['metadata', 'name']), message: `first definition of ${describe(first)}` }] }));
  }
  return out;
}

function admission(o: WsObject, errors: { field: string; message: string }[], code: 'invalid-kubefedcluster' | 'invalid-federatedtypeconfig' | 'invalid-kubefedconfig'): EngineDiagnostic[] {
  return errors.map((e) => diag(locate(o, fieldPath(e.field)), 'error', code, e.message));
}

/** `spec.clusters[0].name` -> ['spec', 'clusters', 0, 'name'] */
export function fieldPath(field: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

function checkResource(res: FederatedResource, known: Set<string>, clusterNames: string[], out: EngineDiagnostic[]): void {
  const main = res.main!;
  const haveClusters = known.size > 0;
  const unknownCluster: UnknownCluster = (o, path, name, near) => {
    if (!haveClusters || known.has(name)) return;
    const s = nearest(name, clusterNames);
    // Changing the name to one its list already has would list that cluster twice.
    const listed = !!s && !!near?.names.includes(s);
    const data: Record<string, unknown> = { cluster: name, suggestion: s };
    if (listed) Object.assign(data, { suggestionListed: true }, near?.entry ? { entry: [...o.base, ...near.entry] } : {});
    out.push(diag(locate(o, path), 'warning', 'unknown-cluster',
      `Unknown cluster "${name}": known clusters are ${clusterNames.join(', ')}.${s ? ` Did you mean ${s}?${listed ? ' (it is already listed here)' : ''}` : ''}`,
      { data }));
  };

  if (res.era === 'v1beta1' && res.targetKind !== 'Namespace' && own(own(main.object, 'spec'), 'template') === undefined) {
    out.push(diag(locate(main, ['spec', 'template'], { key: true }), 'error', 'template-missing',
      `${describe(main)} has no spec.template: every cluster would receive an empty ${res.targetKind}.`));
  }
  if (res.era === 'v1alpha1' && res.kind !== 'Namespace' && own(own(main.object, 'spec'), 'template') === undefined) {
    out.push(diag(locate(main, ['spec', 'template'], { key: true }), 'error', 'template-missing',
      `${describe(main)} has no spec.template.`));
  }

  // Placement.
  const pl = res.placement;
  if (pl.error) {
    out.push(diag(locate(main, ['spec', 'placement']), 'error', 'placement-invalid', `Placement cannot be computed (ComputePlacementFailed): ${pl.error}`));
  } else if (res.era === 'v1beta1') {
    const clustersList = getPath(main.object, ['spec', 'placement', 'clusters']);
    if (Array.isArray(clustersList)) {
      const names = clustersList.map((c) => own(c, 'name'));
      checkClusterList(main, ['spec', 'placement', 'clusters'], names, (i) => ['spec', 'placement', 'clusters', i, 'name'], unknownCluster, out);
    }
    if (pl.namespaceNotFederated) {
      out.push(diag(locate(main, ['metadata', 'namespace']), 'warning', 'namespace-not-federated',
        `Namespace "${res.namespace}" has no FederatedNamespace in the workspace: KubeFed places ${res.kind} ${res.name} in no cluster (NamespaceNotFederated). Create a FederatedNamespace ${res.namespace}.`,
        { data: { namespace: res.namespace } }));
    } else if (res.federatedNamespace && res.placement.ownSelection) {
      // Clusters an RSP schedules 0 replicas on lose nothing by being excluded.
      const missing = res.placement.ownSelection.filter((c) => !pl.selected.includes(c) && res.rsp?.schedule?.[c] !== 0);
      if (missing.length) {
        out.push(diag(locate(main, ['spec', 'placement']), 'warning', 'namespace-not-placed',
          `Not placed on ${missing.join(', ')}: FederatedNamespace ${res.namespace} does not select ${missing.length > 1 ? 'them' : 'it'}.`,
          { related: [{ location: locate(res.federatedNamespace, ['spec', 'placement']), message: `placement of FederatedNamespace ${res.namespace}` }], data: { clusters: missing, namespace: res.namespace } }));
      }
    }
    if (!pl.namespaceNotFederated && pl.selected.length === 0 && !(res.placement.ownSelection && res.placement.ownSelection.length)) {
      const hasPlacement = own(own(main.object, 'spec'), 'placement') !== undefined;
      out.push(diag(locate(main, hasPlacement ? ['spec', 'placement'] : ['kind']), haveClusters ? 'warning' : 'info', 'placement-empty',
        haveClusters
          ? `${describe(main)} selects no cluster${hasPlacement ? '' : ' (it has no spec.placement)'}: it is propagated nowhere.`
          : `${describe(main)} selects no cluster: no member clusters are known (add KubeFedCluster objects, a clusters file or kubeconfig contexts).`));
    }
    checkV1beta1Overrides(res, known, unknownCluster, out);
    checkTemplateMetadata(res, out);
  } else {
    const p = res.placementObject;
    if (p) {
      const names = getPath(p.object, ['spec', 'clusterNames']);
      if (Array.isArray(names)) checkClusterList(p, ['spec', 'clusterNames'], names, (i) => ['spec', 'clusterNames', i], unknownCluster, out);
      if (pl.selected.length === 0) {
        const miss = getPath(p.object, ['spec', 'clusterNames']) === undefined;
        out.push(diag(locate(p, miss ? ['spec'] : ['spec', 'clusterNames']), haveClusters ? 'warning' : 'info', 'placement-empty',
          miss
            ? `${describe(p)} has no spec.clusterNames (field names are case-sensitive): it selects no cluster.`
            : `${describe(p)} selects no ready cluster.`));
      }
    } else if (res.targetKind !== 'Namespace') {
      out.push(diag(locate(main, ['kind']), haveClusters ? 'warning' : 'info', 'placement-empty',
        `${describe(main)} has no ${res.typeConfig.placementKind ?? 'placement'} ${main.meta.namespace}/${main.meta.name}: it is propagated nowhere.`));
    }
    checkV1alpha1Override(res, known, unknownCluster, out);
  }
  if (res.rsp) checkRsp(res, unknownCluster, out);
}

/** The list a cluster name is written in: the names it holds, and the path of the name's entry. */
interface NameList {
  names: unknown[];
  entry?: PathSegment[];
}

type UnknownCluster = (o: WsObject, path: PathSegment[], name: string, near?: NameList) => void;

/**
 * The cluster names of a placement list (v1beta1 `spec.placement.clusters`, v1alpha1
 * `spec.clusterNames`): unknown ones, and a name listed a second time (at that later entry).
 */
function checkClusterList(o: WsObject, listPath: PathSegment[], names: unknown[], namePath: (i: number) => PathSegment[], unknownCluster: UnknownCluster, out: EngineDiagnostic[]): void {
  const first = new Map<string, number>();
  names.forEach((n, i) => {
    if (typeof n !== 'string') return;
    const prev = first.get(n);
    if (prev === undefined) {
      first.set(n, i);
      unknownCluster(o, namePath(i), n, { names, entry: [...listPath, i] });
      return;
    }
    out.push(diag(locate(o, namePath(i)), 'warning', 'duplicate-placement-cluster',
      `Cluster "${n}" is already listed (entry ${prev}): the second entry adds nothing. Remove it.`,
      { related: [{ location: locate(o, namePath(prev)), message: `first entry of ${n}` }], data: { cluster: n, first: prev, entry: [...o.base, ...listPath, i] } }));
  });
}

function checkV1beta1Overrides(res: FederatedResource, known: Set<string>, unknownCluster: UnknownCluster, out: EngineDiagnostic[]): void {
  const main = res.main!;
  const list = getPath(main.object, ['spec', 'overrides']);
  if (!Array.isArray(list)) return;
  // List-wide errors fail every cluster (ApplyOverridesFailed).
  const first = new Map<string, number>();
  const items = decodeOverrides(list).items;
  const names = items.map((x) => x.clusterName);
  items.forEach(({ clusterName: name }, i) => {
    const at = typeof own(list[i], 'clusterName') === 'string' ? ['spec', 'overrides', i, 'clusterName'] : ['spec', 'overrides', i];
    const prev = first.get(name);
    if (prev !== undefined) {
      out.push(diag(locate(main, at), 'error', 'duplicate-cluster-override',
        `Cluster "${name}" already has overrides (entry ${prev}): KubeFed fails this resource in every cluster (ApplyOverridesFailed). Merge the two entries.`,
        { related: [{ location: locate(main, ['spec', 'overrides', prev, 'clusterName']), message: `first overrides of ${name}` }], data: { cluster: name, first: prev } }));
      return;
    }
    first.set(name, i);
    if (!name) return;
    unknownCluster(main, at, name, { names, entry: ['spec', 'overrides', i] });
    if (known.has(name) && !res.placement.selected.includes(name) && !res.placement.error) {
      out.push(diag(locate(main, at), 'warning', 'override-for-unplaced-cluster',
        `Overrides for ${name} have no effect: ${res.name} is not placed on ${name}.`,
        { data: { cluster: name, index: i } }));
    }
  });

  // Per-operation checks against the object the cluster would get before overrides.
  for (const f of overrideOpFindings(res)) {
    const related = f.relatedPath ? [{ location: locate(main, f.relatedPath), message: f.relatedMessage ?? '' }] : undefined;
    out.push(diag(locate(main, f.path, { key: f.key }), 'error', f.code, f.message, { related, data: f.data }));
  }
}

interface OpFinding {
  path: PathSegment[];
  key?: boolean;
  code: 'override-path-invalid' | 'override-path-not-found' | 'override-forbidden-path' | 'duplicate-override-path';
  message: string;
  data?: Record<string, unknown>;
  relatedPath?: PathSegment[];
  relatedMessage?: string;
}

/**
 * Findings of every override operation, applied in order to the object a cluster gets before
 * overrides. They depend only on the federated object and its type, so they are memoised on
 * the (immutable) parsed object: an edit elsewhere does not recompute them.
 */
const opFindingsCache = new WeakMap<object, { type: string; findings: OpFinding[] }>();

function overrideOpFindings(res: FederatedResource): OpFinding[] {
  const main = res.main!;
  const type = `${res.typeConfig.era}|${res.typeConfig.targetGroup ?? ''}|${res.typeConfig.targetKind}`;
  const hit = opFindingsCache.get(main.object);
  if (hit && hit.type === type) return hit.findings;
  const findings: OpFinding[] = [];
  const list = getPath(main.object, ['spec', 'overrides']);
  const decoded = decodeOverrides(list);
  const base = baseObject(res);
  const seenPath = new Map<string, number>();
  decoded.items.forEach(({ clusterOverrides }, i) => {
    if (!clusterOverrides) return;
    seenPath.clear();
    let cur: JsonObject | undefined = base;
    clusterOverrides.forEach((co, j) => {
      const at: PathSegment[] = ['spec', 'overrides', i, 'clusterOverrides', j];
      const { op, path } = co;
      // What admission rejects (and op/path of a wrong JSON type) leaves nothing to check further.
      const refused = decoded.errors.find((e) => e.index === i && e.subIndex === j && (e.field === 'op' || e.field === 'path'));
      if (refused) {
        const missing = refused.field === 'path' && own(rawOverride(list, i, j), 'path') === undefined;
        const message = refused.kind === 'rejected' ? refused.message : refused.field === 'path' ? 'path is required: a JSON pointer such as /spec/replicas' : refused.message;
        findings.push({ path: [...at, refused.field!], key: missing, code: 'override-path-invalid', message: `${message}.` });
        cur = undefined;
        return;
      }
      const dup = seenPath.get(path);
      if (dup !== undefined) {
        findings.push({
          path: [...at, 'path'],
          code: 'duplicate-override-path',
          message: `Path ${path} is already overridden for this cluster (entry ${dup}): KubeFed fails this resource in every cluster.`,
          relatedPath: ['spec', 'overrides', i, 'clusterOverrides', dup, 'path'],
          relatedMessage: 'first override of this path',
        });
      }
      seenPath.set(path, j);
      const effOp = typeof op === 'string' && op ? op : 'replace';
      // After a failed operation the document is unknown: only check what needs no document.
      const chk = checkOverridePath(cur ?? {}, effOp, path);
      if (!cur && (chk.ok || chk.problem === 'missing-parent' || chk.problem === 'not-found' || chk.problem === 'bad-index')) return;
      if (chk.ok) {
        const next = applyPatch(cur!, [{ op: effOp, path, value: co.value ?? null }]);
        cur = next.ok && isObject(next.doc) ? next.doc : undefined;
        return;
      }
      const code =
        chk.problem === 'forbidden' || chk.problem === 'prototype'
          ? 'override-forbidden-path'
          : chk.problem === 'malformed' || chk.problem === 'invalid-op' || chk.problem === 'negative-index' || chk.problem === 'bad-index'
            ? 'override-path-invalid'
            : 'override-path-not-found';
      const suggestion = code === 'override-forbidden-path' ? undefined : nearestPointer(cur, path.startsWith('/') ? path : '/' + path);
      const fails = code === 'override-path-not-found' ? ' (KubeFed would fail this resource with ApplyOverridesFailed)' : '';
      findings.push({
        path: [...at, 'path'],
        code,
        message: `Override path ${path}: ${chk.message}${fails}.${suggestion && suggestion !== path ? ` Did you mean ${suggestion}?` : ''}`,
        data: { path, suggestion },
      });
      cur = undefined;
    });
  });
  opFindingsCache.set(main.object, { type, findings });
  return findings;
}

/** The override as written (for positions: whether a key is there at all). */
function rawOverride(list: unknown, i: number, j: number): unknown {
  const cos = Array.isArray(list) ? own(list[i], 'clusterOverrides') : undefined;
  return Array.isArray(cos) ? cos[j] : undefined;
}

/** The object a cluster receives before overrides (template + identity fields). */
function baseObject(res: FederatedResource): JsonObject | undefined {
  const fo = res.main!.object;
  const spec = own(fo, 'spec');
  const stripped: JsonObject = { ...fo, spec: isObject(spec) ? { ...spec, overrides: [] } : {} };
  const r = renderV1beta1({ targetType: targetTypeOf(res.typeConfig), federatedObject: stripped, clusterName: '' });
  return r.ok ? r.object : undefined;
}

function checkTemplateMetadata(res: FederatedResource, out: EngineDiagnostic[]): void {
  const main = res.main!;
  for (const f of ['annotations', 'finalizers'] as const) {
    const v = getPath(main.object, ['spec', 'template', 'metadata', f]);
    const nonEmpty = Array.isArray(v) ? v.length > 0 : isObject(v) && Object.keys(v).length > 0;
    if (nonEmpty) {
      out.push(diag(locate(main, ['spec', 'template', 'metadata', f], { key: true }), 'warning', 'template-annotations-dropped',
        `KubeFed drops template ${f} (${f === 'annotations' ? 'AnnotationsNotSupported' : 'FinalizersNotSupported'}): member clusters keep their own. Use an override of /metadata/${f} instead.`));
    }
  }
}

function checkV1alpha1Override(res: FederatedResource, known: Set<string>, unknownCluster: UnknownCluster, out: EngineDiagnostic[]): void {
  const ov = res.overrideObject;
  if (!ov) return;
  const list = getPath(ov.object, ['spec', 'overrides']);
  if (!Array.isArray(list)) return;
  const field = res.typeConfig.overridePath?.[res.typeConfig.overridePath.length - 1];
  const seen = new Map<string, number>();
  list.forEach((e, i) => {
    const cn = own(e, 'clusterName');
    if (typeof cn !== 'string') return;
    unknownCluster(ov, ['spec', 'overrides', i, 'clusterName'], cn, { names: list.map((x) => own(x, 'clusterName')), entry: ['spec', 'overrides', i] });
    const prev = seen.get(cn);
    if (prev !== undefined) {
      out.push(diag(locate(ov, ['spec', 'overrides', i, 'clusterName']), 'warning', 'duplicate-cluster-override',
        `Cluster "${cn}" already has an override entry (entry ${prev}): only the first one counts.`,
        { related: [{ location: locate(ov, ['spec', 'overrides', prev, 'clusterName']), message: 'the entry that counts' }] }));
      return;
    }
    seen.set(cn, i);
    // Like v1beta1: with no cluster known, nothing says the cluster is not placed.
    if (known.has(cn) && !res.placement.selected.includes(cn) && !res.placement.error) {
      out.push(diag(locate(ov, ['spec', 'overrides', i, 'clusterName']), 'warning', 'override-for-unplaced-cluster',
        `The override for ${cn} has no effect: ${res.name} is not placed on ${cn}.`, { data: { cluster: cn, index: i } }));
    }
    if (!field) {
      out.push(diag(locate(ov, ['spec', 'overrides', i]), 'error', 'override-path-invalid',
        `${res.typeConfig.templateKind ?? res.kind} has no overridePath in its FederatedTypeConfig: computing the object fails.`));
    } else if (isObject(e) && !Object.prototype.hasOwnProperty.call(e, field)) {
      const other = Object.keys(e).filter((k) => k !== 'clusterName');
      if (other.length) {
        out.push(diag(locate(ov, ['spec', 'overrides', i, other[0]], { key: true }), 'warning', 'override-path-invalid',
          `${ov.meta.kind} overrides only "${field}" (overridePath ${res.typeConfig.overridePath!.join('.')}); "${other[0]}" is ignored.`));
      }
    }
  });
}

function checkRsp(res: FederatedResource, unknownCluster: UnknownCluster, out: EngineDiagnostic[]): void {
  const rsp = res.rsp!;
  const clusters = getPath(rsp.object.object, ['spec', 'clusters']);
  if (isObject(clusters)) for (const k of Object.keys(clusters)) if (k !== '*') unknownCluster(rsp.object, ['spec', 'clusters', k], k, { names: Object.keys(clusters) });
  const main = res.main!;
  const related: RelatedInfo[] = [{ location: locate(rsp.object, ['spec', 'totalReplicas']), message: `ReplicaSchedulingPreference ${rsp.object.meta.name}` }];
  if (res.era === 'v1beta1') {
    for (const c of clobberedReplicaOverrides(main.object)) {
      out.push(diag(locate(main, ['spec', 'overrides', c.index, 'clusterOverrides', c.subIndex, 'value']), 'warning', 'rsp-overrides-clobbered',
        `ReplicaSchedulingPreference ${rsp.object.meta.name} rewrites the /spec/replicas override of ${c.clusterName}${rsp.schedule ? ` (scheduled: ${rsp.schedule[c.clusterName] ?? 'removed'})` : ''}.`,
        { related }));
    }
    if (getPath(main.object, ['spec', 'placement', 'clusters']) !== undefined && rsp.schedule) {
      out.push(diag(locate(main, ['spec', 'placement', 'clusters'], { key: true }), 'info', 'rsp-overrides-clobbered',
        `ReplicaSchedulingPreference ${rsp.object.meta.name} rewrites spec.placement.clusters to ${Object.keys(rsp.schedule).sort().join(', ') || 'no cluster'}.`,
        { related }));
    }
  } else if (res.overrideObject) {
    out.push(diag(locate(res.overrideObject, ['spec', 'overrides'], { key: true }), 'warning', 'rsp-overrides-clobbered',
      `ReplicaSchedulingPreference ${rsp.object.meta.name} rewrites this whole override object with replica counts.`, { related }));
  }
}
