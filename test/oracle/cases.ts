/**
 * The cases of the differential suite: generated workspaces (fast-check, fixed seeds) and case
 * folders (`KFED_ORACLE_CASES`): v1beta1 YAML at the top, `members/<cluster>/*.yaml` applied to
 * member clusters first. Every case gets namespaces of its own (a folder's namespaces are renamed
 * with a suffix), so cases run side by side in one federation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import type { Obj } from './kinds.ts';

export interface OracleCase {
  name: string;
  /** Host objects in apply order: FederatedNamespaces first. */
  host: Obj[];
  /** Objects created in member clusters before the host objects. */
  members: Record<string, Obj[]>;
  /** Objects of a folder left out: not federated inputs of the host, or of a type KubeFed does not enable by default. */
  skipped?: string[];
  /** Later steps, each applied once KubeFed has settled on the one before and judged the same way. */
  steps?: CaseStep[];
}

export interface CaseStep {
  name: string;
  /** The host inputs after this step (changed ones are updated, missing ones deleted). */
  host: Obj[];
  /** JSON merge patches to member objects (apiVersion, kind, metadata.name/namespace name the object). */
  members?: Record<string, Obj[]>;
  /**
   * Federated objects (`Kind/namespace/name`) the engine reads as KubeFed left them in the host
   * rather than from the case: a target its RSP rewrote before, as the next write-back starts from it.
   */
  fromHost?: string[];
}

const HOST_GROUPS = ['types.kubefed.io', 'scheduling.kubefed.io'];

function isHostInput(o: Obj): boolean {
  return HOST_GROUPS.includes(String(o.apiVersion ?? '').split('/')[0]!);
}

const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];
const REGIONS = ['us-east', 'eu-west', 'us-west'];

// ---------------------------------------------------------------------------------------------
// Folders

function yamlObjects(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o && typeof o === 'object' && typeof o.kind === 'string');
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
}

/** Renames every namespace of the case to `<ns>-<suffix>` (objects, FederatedNamespaces, Namespace templates). */
function renameNamespaces(objs: Obj[], suffix: string, names: Map<string, string>): Obj[] {
  const rename = (ns: string) => {
    if (!names.has(ns)) names.set(ns, `${ns}-${suffix}`.slice(0, 63).replace(/-+$/, ''));
    return names.get(ns)!;
  };
  return objs.map((o) => {
    const c = structuredClone(o);
    if (c.metadata?.namespace) c.metadata.namespace = rename(c.metadata.namespace);
    if ((c.kind === 'FederatedNamespace' || c.kind === 'Namespace') && c.metadata?.name) c.metadata.name = rename(c.metadata.name);
    return c;
  });
}

function byApplyOrder(a: Obj, b: Obj): number {
  const rank = (o: Obj) => (o.kind === 'Namespace' ? 0 : o.kind === 'FederatedNamespace' ? 1 : o.kind === 'ReplicaSchedulingPreference' ? 3 : 2);
  return rank(a) - rank(b);
}

/** The case folders inside `root` (each a folder with YAML files). */
export function folderCases(root: string): OracleCase[] {
  const out: OracleCase[] = [];
  const dirs = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();
  dirs.forEach((d, i) => {
    const dir = join(root, d);
    const names = new Map<string, string>();
    const suffix = `k${i}`;
    const all = yamlFilesIn(dir).flatMap(yamlObjects);
    const skipped = all.filter((o) => !isHostInput(o)).map((o) => `${o.kind}/${o.metadata?.name ?? '?'}`);
    const host = renameNamespaces(all.filter(isHostInput), suffix, names).sort(byApplyOrder);
    const members: Record<string, Obj[]> = {};
    const mdir = join(dir, 'members');
    if (statSync(mdir, { throwIfNoEntry: false })?.isDirectory()) {
      for (const c of readdirSync(mdir).sort()) {
        if (statSync(join(mdir, c)).isDirectory()) members[c] = renameNamespaces(yamlFilesIn(join(mdir, c)).flatMap(yamlObjects), suffix, names).sort(byApplyOrder);
      }
    }
    out.push({ name: relative(root, dir) || d, host, members, ...(skipped.length ? { skipped } : {}) });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated cases

const fedNs = (ns: string, placement: Obj): Obj => ({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement } });
const two = { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] };

const clusterSubset = fc.subarray(CLUSTERS);
const placementArb: fc.Arbitrary<Obj> = fc.oneof(
  clusterSubset.map((cs) => ({ clusters: cs.map((name) => ({ name })) })),
  fc.constant({ clusterSelector: {} }),
  fc.constantFrom(...REGIONS).map((r) => ({ clusterSelector: { matchLabels: { region: r } } })),
  fc
    .record({ op: fc.constantFrom('In', 'NotIn'), values: fc.subarray(REGIONS, { minLength: 1 }) })
    .map(({ op, values }) => ({ clusterSelector: { matchExpressions: [{ key: 'region', operator: op, values }] } })),
  fc.constant({ clusterSelector: { matchExpressions: [{ key: 'region', operator: 'Exists' }] } }),
);

type TargetKind = 'ConfigMap' | 'Secret' | 'Deployment' | 'ReplicaSet' | 'Service' | 'ServiceAccount' | 'Job';
const API_VERSION: Record<TargetKind, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  Job: 'batch/v1',
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

function template(kind: TargetKind, name: string, value: string): Obj {
  switch (kind) {
    case 'ConfigMap':
      return { metadata: { labels: { app: name } }, data: { key: value, other: 'x' } };
    case 'Secret':
      return { type: 'Opaque', data: { key: b64(value), other: b64('x') } };
    case 'Deployment':
    case 'ReplicaSet':
      return {
        metadata: { labels: { app: name } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: `nginx:${value}` }] } },
        },
      };
    case 'Job':
      // The server defaults the selector and the pod template's labels (controller-uid); the template is immutable.
      return {
        metadata: { labels: { app: name } },
        spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: `busybox:${value}`, command: ['true'] }] } } },
      };
    case 'Service':
      return { spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    case 'ServiceAccount':
      return { metadata: { labels: { app: name } }, automountServiceAccountToken: value.length % 2 === 0 };
  }
}

/** Overrides valid for `kind`, plus one that fails (a remove of a path that does not exist). */
function overrideArb(kind: TargetKind): fc.Arbitrary<Obj> {
  const label = fc.constantFrom('tier', 'app').chain((k) =>
    fc.constantFrom(
      { op: 'add', path: `/metadata/labels/${k}`, value: 'override' },
      { op: 'replace', path: '/metadata/labels', value: { replaced: 'yes' } },
    ),
  );
  const failing = fc.constant({ op: 'remove', path: '/metadata/annotations/not-there' });
  const byKind: Record<TargetKind, fc.Arbitrary<Obj>> = {
    ConfigMap: fc.constantFrom(
      { path: '/data/key', value: 'overridden' },
      { op: 'remove', path: '/data/other' },
      { op: 'add', path: '/data/added', value: 'new' },
      { op: 'replace', path: '/data', value: { whole: 'map' } },
    ),
    Secret: fc.constantFrom({ path: '/data/key', value: b64('overridden') }, { op: 'remove', path: '/data/other' }),
    Deployment: fc.constantFrom(
      { path: '/spec/replicas', value: 5 },
      { path: '/spec/template/spec/containers/0/image', value: 'nginx:override' },
      { op: 'add', path: '/spec/template/spec/containers/0/args', value: ['--flag'] },
    ),
    ReplicaSet: fc.constantFrom({ path: '/spec/replicas', value: 3 }, { path: '/spec/template/spec/containers/0/image', value: 'nginx:override' }),
    Job: fc.constantFrom({ path: '/spec/backoffLimit', value: 4 }, { op: 'add', path: '/spec/parallelism', value: 2 }),
    Service: fc.constantFrom({ op: 'add', path: '/spec/ports/-', value: { name: 'extra', port: 81, protocol: 'TCP' } }),
    ServiceAccount: fc.constantFrom({ path: '/automountServiceAccountToken', value: true }),
  };
  return fc.oneof({ weight: 4, arbitrary: byKind[kind] }, { weight: 3, arbitrary: label }, { weight: 1, arbitrary: failing });
}

interface ResourceSpec {
  kind: TargetKind;
  value: string;
  placement: Obj;
  overrides: { cluster: string; ops: Obj[] }[];
  preexisting?: { cluster: string; managed: 'none' | 'false' };
}

const resourceArb: fc.Arbitrary<ResourceSpec> = fc
  .constantFrom<TargetKind>('ConfigMap', 'Secret', 'Deployment', 'Service', 'ServiceAccount')
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      value: fc.constantFrom('1.25', '1.27', 'blue', 'green'),
      placement: placementArb,
      overrides: fc.uniqueArray(
        fc.record({ cluster: fc.constantFrom(...CLUSTERS), ops: fc.array(overrideArb(kind), { minLength: 1, maxLength: 2 }) }),
        { selector: (o) => o.cluster, maxLength: 2 },
      ),
      preexisting: fc.option(fc.record({ cluster: fc.constantFrom(...CLUSTERS), managed: fc.constantFrom<'none' | 'false'>('none', 'false') }), {
        nil: undefined,
      }),
    }),
  );

interface CaseSpec {
  /** false: no FederatedNamespace (KubeFed: NamespaceNotFederated). */
  federateNamespace: boolean;
  namespacePlacement: Obj;
  resources: ResourceSpec[];
}
const caseArb: fc.Arbitrary<CaseSpec> = fc.record({
  federateNamespace: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  namespacePlacement: placementArb, resources: fc.array(resourceArb, { minLength: 1, maxLength: 3 }) });

function buildCase(name: string, ns: string, spec: CaseSpec): OracleCase {
  const host: Obj[] = spec.federateNamespace
    ? [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement: spec.namespacePlacement } }]
    : [];
  const members: Record<string, Obj[]> = {};
  spec.resources.forEach((r, i) => {
    const objName = `${r.kind.toLowerCase()}-${i}`;
    host.push({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: `Federated${r.kind}`,
      metadata: { name: objName, namespace: ns },
      spec: {
        template: template(r.kind, objName, r.value),
        placement: r.placement,
        ...(r.overrides.length ? { overrides: r.overrides.map((o) => ({ clusterName: o.cluster, clusterOverrides: o.ops })) } : {}),
      },
    });
    if (r.preexisting) {
      const list = (members[r.preexisting.cluster] ??= [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
      const own = template(r.kind, objName, 'preexisting');
      list.push({
        apiVersion: API_VERSION[r.kind],
        kind: r.kind,
        ...own,
        metadata: {
          ...(own.metadata ?? {}),
          name: objName,
          namespace: ns,
          annotations: { 'member/own': 'kept?' },
          labels: { ...(own.metadata?.labels ?? {}), ...(r.preexisting.managed === 'false' ? { 'kubefed.io/managed': 'false' } : {}) },
        },
      });
    }
  });
  return { name, host, members };
}

/** `count` generated cases from `seed` (each named by its seed and index). */
export function generatedCases(seed: number, count: number): OracleCase[] {
  const samples = fc.sample(caseArb, { seed, numRuns: count });
  return samples.map((s, i) => buildCase(`seed ${seed}#${i}`, `oracle-${seed}-${i}`, s));
}

/** The case as YAML files: what a user would keep in a folder (for the engine's workspace). */
export function caseFiles(c: OracleCase): Record<string, string> {
  return { [`oracle://${encodeURIComponent(c.name)}/case.yaml`]: c.host.map((o) => '---\n' + stringify(o)).join('') };
}

// ---------------------------------------------------------------------------------------------
// Generated cases with ReplicaSchedulingPreferences (and Jobs beside them)

const prefArb: fc.Arbitrary<Obj> = fc
  .record({
    weight: fc.integer({ min: 0, max: 3 }),
    minReplicas: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    maxReplicas: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  })
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));

const rspClustersArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.constant({}),
  prefArb.map((p) => ({ '*': p })),
  fc.uniqueArray(fc.tuple(fc.constantFrom(...CLUSTERS), prefArb), { selector: (t) => t[0], minLength: 1, maxLength: 3 }).map((ts) => Object.fromEntries(ts)),
);

interface RspCaseSpec {
  namespacePlacement: Obj;
  target: 'Deployment' | 'ReplicaSet';
  placement: Obj;
  overrides: { cluster: string; ops: Obj[] }[];
  rsp: { totalReplicas: number; rebalance: boolean; intersectWithClusterSelector: boolean; clusters: Obj };
  job?: { placement: Obj; override?: { cluster: string; ops: Obj[] } };
}

const rspCaseArb: fc.Arbitrary<RspCaseSpec> = fc.record({
  namespacePlacement: placementArb,
  target: fc.constantFrom<'Deployment' | 'ReplicaSet'>('Deployment', 'ReplicaSet'),
  placement: placementArb,
  overrides: fc.uniqueArray(
    fc.record({
      cluster: fc.constantFrom(...CLUSTERS),
      ops: fc.array(fc.constantFrom<Obj>({ path: '/spec/replicas', value: 7 }, { op: 'add', path: '/metadata/labels/tier', value: 'override' }), { minLength: 0, maxLength: 2 }),
    }),
    { selector: (o) => o.cluster, maxLength: 2 },
  ),
  rsp: fc.record({
    totalReplicas: fc.integer({ min: 0, max: 12 }),
    rebalance: fc.boolean(),
    intersectWithClusterSelector: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    clusters: rspClustersArb,
  }),
  job: fc.option(
    fc.record({
      placement: placementArb,
      override: fc.option(fc.record({ cluster: fc.constantFrom(...CLUSTERS), ops: overrideArb('Job').map((o) => [o]) }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
});

function federated(kind: string, name: string, ns: string, template: Obj, placement: Obj, overrides: { cluster: string; ops: Obj[] }[]): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: `Federated${kind}`,
    metadata: { name, namespace: ns },
    spec: {
      template,
      placement,
      ...(overrides.length ? { overrides: overrides.map((o) => ({ clusterName: o.cluster, clusterOverrides: o.ops })) } : {}),
    },
  };
}

export function rspObject(ns: string, name: string, targetKind: string, spec: Obj): Obj {
  return { apiVersion: 'scheduling.kubefed.io/v1alpha1', kind: 'ReplicaSchedulingPreference', metadata: { name, namespace: ns }, spec: { targetKind, ...spec } };
}

function buildRspCase(name: string, ns: string, s: RspCaseSpec): OracleCase {
  const host: Obj[] = [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement: s.namespacePlacement } }];
  host.push(federated(s.target, 'web', ns, template(s.target, 'web', '1.27'), s.placement, s.overrides));
  const { intersectWithClusterSelector, ...rsp } = s.rsp;
  host.push(rspObject(ns, 'web', `Federated${s.target}`, { ...rsp, ...(intersectWithClusterSelector ? { intersectWithClusterSelector } : {}) }));
  if (s.job) host.push(federated('Job', 'job', ns, template('Job', 'job', '1.36'), s.job.placement, s.job.override ? [s.job.override] : []));
  return { name, host, members: {} };
}

/** `count` generated RSP cases from `seed`. */
export function generatedRspCases(seed: number, count: number): OracleCase[] {
  return fc.sample(rspCaseArb, { seed, numRuns: count }).map((s, i) => buildRspCase(`rsp seed ${seed}#${i}`, `oracle-rsp-${seed}-${i}`, s));
}

/**
 * Fixed cases: an RSP whose namespace is placed in fewer clusters than the RSP schedules onto
 * (KubeFed schedules over every ready cluster; the namespace placement then keeps the
 * deployment out of the others), and a Job in every cluster.
 */
export function fixedCases(): OracleCase[] {
  const ns = 'oracle-rsp-narrow';
  return [
    {
      name: 'rsp with a narrower namespace placement',
      members: {},
      host: [
        { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } } },
        federated('Deployment', 'web', ns, template('Deployment', 'web', '1.27'), { clusterSelector: {} }, []),
        rspObject(ns, 'web', 'FederatedDeployment', { totalReplicas: 9, clusters: { cluster1: { weight: 1 }, cluster2: { weight: 1 }, cluster3: { weight: 1 } } }),
        federated('Job', 'job', ns, template('Job', 'job', '1.36'), { clusterSelector: {} }, [{ cluster: 'cluster2', ops: [{ path: '/spec/backoffLimit', value: 3 }] }]),
      ],
    },
  ];
}

/**
 * The reference's known differences as multi-step cases (create, edit, judge again):
 * (2) an override that fails once the object exists in that cluster; (3) an override of
 * /metadata/annotations as a whole against annotations added in the member; (5) an RSP that
 * drops a cluster (its write-back keeps `clusterSelector: {}`, and an empty override entry for
 * the cluster); (6) a new generation that changes nothing for some cluster.
 */
export function stepCases(): OracleCase[] {
  const cm = (ns: string, data: Obj, overrides: { cluster: string; ops: Obj[] }[] = [], placement: Obj = two) =>
    federated('ConfigMap', 'app', ns, { data }, placement, overrides);
  const ns2 = 'oracle-step-failing';
  const ns3 = 'oracle-step-annotations';
  const ns5 = 'oracle-step-rsp';
  const ns6 = 'oracle-step-generation';
  const memberEdit = (ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: ns, annotations: { 'member/added': 'yes' } } });
  const wholeAnnotations = { cluster: 'cluster2', ops: [{ op: 'replace', path: '/metadata/annotations', value: { from: 'override' } }] };
  const rsp = (clusters: Obj) => rspObject(ns5, 'web', 'FederatedDeployment', { totalReplicas: 6, clusters });
  const web = federated('Deployment', 'web', ns5, template('Deployment', 'web', '1.27'), { clusterSelector: {} }, []);
  return [
    {
      name: 'step (2): an override fails after the object exists',
      members: {},
      host: [fedNs(ns2, two), cm(ns2, { key: 'v1' })],
      steps: [{ name: 'failing override', host: [fedNs(ns2, two), cm(ns2, { key: 'v2' }, [{ cluster: 'cluster2', ops: [{ op: 'remove', path: '/metadata/annotations/not-there' }] }])] }],
    },
    {
      name: 'step (3): member annotations and an override of /metadata/annotations',
      members: {},
      host: [fedNs(ns3, two), cm(ns3, { key: 'v1' }, [wholeAnnotations])],
      steps: [
        {
          name: 'annotations added in the members, then a new generation',
          host: [fedNs(ns3, two), cm(ns3, { key: 'v2' }, [wholeAnnotations])],
          members: { cluster1: [memberEdit(ns3)], cluster2: [memberEdit(ns3)] },
        },
      ],
    },
    {
      name: 'step (5): an RSP drops a cluster',
      members: {},
      host: [fedNs(ns5, { clusterSelector: {} }), web, rsp({ cluster1: { weight: 1 }, cluster2: { weight: 1 }, cluster3: { weight: 1 } })],
      steps: [
        {
          name: 'cluster3 left out of the RSP',
          host: [fedNs(ns5, { clusterSelector: {} }), web, rsp({ cluster1: { weight: 1 }, cluster2: { weight: 2 } })],
          fromHost: [`FederatedDeployment/${ns5}/web`],
        },
      ],
    },
    {
      name: 'step (6): a new generation that changes nothing in some clusters',
      members: {},
      host: [fedNs(ns6, { clusterSelector: {} }), cm(ns6, { key: 'v1' }, [], { clusterSelector: {} })],
      steps: [
        {
          name: 'only cluster3 gets a new override',
          host: [fedNs(ns6, { clusterSelector: {} }), cm(ns6, { key: 'v1' }, [{ cluster: 'cluster3', ops: [{ path: '/data/key', value: 'v3' }] }], { clusterSelector: {} })],
        },
      ],
    },
  ];
}
