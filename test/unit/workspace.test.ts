import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/engine/workspace.ts';
import { clustersFromSettings } from '../../server/engine/inventory.ts';
import type { EngineDiagnostic } from '../../server/engine/diagnostics.ts';
import type { JsonObject } from '../../server/engine/json.ts';

const CLUSTERS = ['cluster1', 'cluster2', 'cluster3']
  .map(
    (n, i) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: ${n}
  namespace: kube-federation-system
  labels: {region: ${['us', 'eu', 'us'][i]}, tier: ${i < 2 ? 'gold' : 'silver'}}
spec:
  apiEndpoint: https://127.0.0.1:${6443 + i}
  secretRef: {name: ${n}}
`,
  )
  .join('---\n');

const FNS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec:
  placement:
    clusterSelector: {}
`;

function ws(files: Record<string, string>): Workspace {
  const w = new Workspace();
  w.setFile('clusters.yaml', CLUSTERS);
  for (const [k, v] of Object.entries(files)) w.setFile(k, v);
  return w;
}

function codes(d: EngineDiagnostic[]): string[] {
  return d.map((x) => x.code).sort();
}

/** The text a diagnostic's range covers. */
function textOf(w: Workspace, d: EngineDiagnostic): string {
  const f = w.getFile(d.uri)!;
  return f.text.slice(f.lines.offset(d.range.start), f.lines.offset(d.range.end));
}

const DEPLOY = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      replicas: 3
      template:
        spec:
          containers:
          - name: nginx
            image: nginx
  placement:
    clusters:
    - name: cluster2
    - name: cluster1
  overrides:
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/replicas
      value: 5
    - path: /spec/template/spec/containers/0/image
      value: nginx:alpine
    - path: /metadata/annotations
      op: add
      value: {foo: bar}
    - path: /metadata/annotations/foo
      op: remove
`;

test('v1beta1: placement, per-cluster objects with overrides and the managed label', () => {
  const w = ws({ 'ns.yaml': FNS, 'web.yaml': DEPLOY });
  assert.deepEqual(w.diagnostics('web.yaml'), []);
  const [res] = w.resourcesIn('web.yaml');
  assert.deepEqual(res.placement.selected, ['cluster1', 'cluster2']);
  const c2 = w.render(res, 'cluster2');
  assert.ok(c2.ok);
  assert.equal((c2.object as any).spec.replicas, 5);
  assert.equal((c2.object as any).spec.template.spec.containers[0].image, 'nginx:alpine');
  assert.deepEqual((c2.object as any).metadata.annotations, {});
  assert.equal((c2.object as any).metadata.labels['kubefed.io/managed'], 'true');
  assert.equal((c2.object as any).apiVersion, 'apps/v1');
  assert.equal((c2.object as any).kind, 'Deployment');
  assert.deepEqual(c2.overriddenPaths, ['/spec/replicas', '/spec/template/spec/containers/0/image', '/metadata/annotations', '/metadata/annotations/foo']);
  const c1 = w.render(res, 'cluster1');
  assert.equal((c1.object as any).spec.replicas, 3);
  assert.equal((c1.object as any).metadata.namespace, 'demo');
});

test('v1alpha1: template, placement and override linked across files', () => {
  const w = ws({
    't.yaml': `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec:
  template:
    metadata: {annotations: {a: b}}
    spec: {replicas: 3}
`,
    'p.yaml': `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeploymentPlacement
metadata: {name: web, namespace: demo}
spec:
  clusterNames: [cluster2, cluster1]
`,
    'o.yaml': `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeploymentOverride
metadata: {name: web, namespace: demo}
spec:
  overrides:
  - {clusterName: cluster2, replicas: 5}
  - {clusterName: cluster2, replicas: 7}
`,
  });
  const [res] = w.resources();
  assert.equal(res.era, 'v1alpha1');
  assert.equal(res.placementObject?.uri, 'p.yaml');
  assert.equal(res.overrideObject?.uri, 'o.yaml');
  assert.deepEqual(res.placement.selected, ['cluster1', 'cluster2']);
  const c2 = w.render(res, 'cluster2');
  assert.equal((c2.object as any).spec.replicas, 5, 'the first matching entry wins');
  assert.deepEqual((c2.object as any).metadata.annotations, { a: 'b' }, 'v1alpha1 keeps template annotations');
  assert.equal((c2.object as any).apiVersion, 'apps/v1');
  const dup = w.diagnostics('o.yaml').find((d) => d.code === 'duplicate-cluster-override');
  assert.ok(dup);
  assert.equal(textOf(w, dup), 'cluster2');
  assert.equal(dup.range.start.line, 6);
  assert.equal(dup.related?.[0].location.range.start.line, 5);
});

test('diagnostics: codes, ranges and related locations', () => {
  const bad = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: bad, namespace: demo}
spec:
  template:
    spec:
      replicas: 1
      template: {spec: {containers: [{name: c, image: x}]}}
  placement:
    clusters:
    - name: cluster1
    - name: clustr9
  overrides:
  - clusterName: cluster1
    clusterOverrides:
    - path: /spec/template/spec/containers/3/image
      value: y
    - path: /metadata/name
      value: other
  - clusterName: cluster1
    clusterOverrides:
    - path: /__proto__/polluted
      value: 1
  - clusterName: cluster3
    clusterOverrides:
    - path: spec/replicas
      value: 2
`;
  const w = ws({ 'ns.yaml': FNS, 'bad.yaml': bad });
  const d = w.diagnostics('bad.yaml');
  assert.deepEqual(codes(d), [
    'duplicate-cluster-override',
    'override-for-unplaced-cluster',
    'override-forbidden-path',
    'override-forbidden-path',
    'override-path-invalid',
    'override-path-not-found',
    'unknown-cluster',
  ]);
  const unknown = d.find((x) => x.code === 'unknown-cluster')!;
  assert.equal(textOf(w, unknown), 'clustr9');
  assert.match(unknown.message, /Did you mean cluster[0-9]\?/);
  const nf = d.find((x) => x.code === 'override-path-not-found')!;
  assert.equal(textOf(w, nf), '/spec/template/spec/containers/3/image');
  assert.equal(nf.severity, 'error');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const dup = d.find((x) => x.code === 'duplicate-cluster-override')!;
  assert.equal(dup.related?.[0].location.range.start.line, 13);
});

test('unknown federated kind gets a suggestion; a KubeFedCluster is validated like admission', () => {
  const w = ws({
    'k.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeploymnet
metadata: {name: x, namespace: demo}
spec: {}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: broken, namespace: kube-federation-system}
spec:
  apiEndpoint: "ftp://example.com"
  secretRef: {name: s}
`,
  });
  const d = w.diagnostics('k.yaml');
  const k = d.find((x) => x.code === 'unknown-federated-kind')!;
  assert.equal(textOf(w, k), 'FederatedDeploymnet');
  assert.match(k.message, /FederatedDeployment\?/);
  const c = d.find((x) => x.code === 'invalid-kubefedcluster')!;
  assert.equal(textOf(w, c), '"ftp://example.com"');
});

test('a Federated* kind shaped like a federated resource in a group no FederatedTypeConfig uses gets information, not silence', () => {
  const GADGET = `apiVersion: types.example.com/v1beta1
kind: FederatedGadget
metadata: {name: g, namespace: demo}
spec:
  template:
    spec: {size: 1}
  placement:
    clusters: [{name: cluster1}]
---
apiVersion: ml.example.com/v1
kind: FederatedLearningJob
metadata: {name: job, namespace: demo}
spec:
  template:
    spec: {containers: []}
`;
  const w = ws({ 'ns.yaml': FNS, 'g.yaml': GADGET });
  const d = w.diagnostics('g.yaml');
  assert.deepEqual(codes(d), ['unknown-federated-kind'], 'the CRD without placement or overrides is left alone');
  assert.equal(d[0].severity, 'info');
  assert.equal(textOf(w, d[0]), 'FederatedGadget');
  assert.match(d[0].message, /federated group types\.example\.com/);
  assert.match(d[0].message, /kubefedctl enable gadget --federated-group types\.example\.com/);
  // Its FederatedTypeConfig in the workspace makes it a federated resource like any other.
  w.setFile('ftc.yaml', `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: gadgets.example.com, namespace: kube-federation-system}
spec:
  propagation: Enabled
  targetType: {group: example.com, kind: Gadget, pluralName: gadgets, scope: Namespaced, version: v1}
  federatedType: {group: types.example.com, kind: FederatedGadget, pluralName: federatedgadgets, scope: Namespaced, version: v1beta1}
`);
  assert.deepEqual(codes(w.diagnostics('g.yaml')), []);
  assert.deepEqual(w.diagnostics('ftc.yaml'), []);
});

test('an object defined twice in one file is flagged at the later one; the same object in two files is not', () => {
  const CM = (v: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: c, namespace: demo}
spec:
  template: {data: {a: "${v}"}}
  placement: {clusters: [{name: cluster1}]}
`;
  const PLAIN = `apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: demo}
`;
  const w = ws({ 'ns.yaml': FNS, 'a.yaml': [CM('1'), PLAIN, CM('2')].join('---\n'), 'b.yaml': CM('3') });
  const d = w.diagnostics('a.yaml').filter((x) => x.code === 'duplicate-object');
  assert.equal(d.length, 1, 'a ConfigMap and a FederatedConfigMap of one name are different objects');
  assert.equal(d[0].severity, 'warning');
  assert.equal(d[0].range.start.line, 13, 'on the later definition');
  assert.equal(textOf(w, d[0]), 'c');
  assert.match(d[0].message, /FederatedConfigMap demo\/c is defined twice in this file \(first at line 1\)/);
  assert.equal(d[0].related?.[0].location.range.start.line, 2);
  assert.deepEqual(w.diagnostics('b.yaml').filter((x) => x.code === 'duplicate-object'), []);
});

test('namespaced resources need a FederatedNamespace, and its placement gates them', () => {
  const w1 = ws({ 'web.yaml': DEPLOY });
  const d1 = w1.diagnostics('web.yaml').find((x) => x.code === 'namespace-not-federated');
  assert.ok(d1);
  assert.deepEqual(w1.resourcesIn('web.yaml')[0].placement.selected, []);
  const narrow = FNS.replace('clusterSelector: {}', 'clusters: [{name: cluster1}]');
  const w2 = ws({ 'ns.yaml': narrow, 'web.yaml': DEPLOY });
  const d2 = w2.diagnostics('web.yaml').find((x) => x.code === 'namespace-not-placed')!;
  assert.match(d2.message, /cluster2/);
  assert.equal(d2.related?.[0].location.uri, 'ns.yaml');
  assert.deepEqual(w2.resourcesIn('web.yaml')[0].placement.selected, ['cluster1']);
});

test('an RSP rewrites placement and replicas; its target must exist', () => {
  const rsp = `apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: demo}
spec:
  targetKind: FederatedDeployment
  totalReplicas: 10
  rebalance: true
  clusters:
    cluster1: {weight: 2}
    cluster2: {weight: 3}
---
apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: nothing, namespace: demo}
spec: {targetKind: FederatedDeployment, totalReplicas: 1}
`;
  const w = ws({ 'ns.yaml': FNS, 'web.yaml': DEPLOY, 'rsp.yaml': rsp });
  const res = w.resourcesIn('web.yaml')[0];
  // Every ready cluster is scheduled, cluster3 with 0 replicas (it is still placed).
  assert.deepEqual(res.rsp?.schedule, { cluster1: 4, cluster2: 6, cluster3: 0 });
  assert.deepEqual(res.placement.selected, ['cluster1', 'cluster2', 'cluster3']);
  assert.equal((w.render(res, 'cluster1').object as any).spec.replicas, 4);
  assert.equal((w.render(res, 'cluster2').object as any).spec.replicas, 6);
  assert.ok(w.diagnostics('web.yaml').some((d) => d.code === 'rsp-overrides-clobbered'));
  const missing = w.diagnostics('rsp.yaml').filter((d) => d.code === 'rsp-target-missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0].range.start.line, 14);
  assert.equal(textOf(w, missing[0]), "FederatedDeployment");
});

test('orphan v1alpha1 parts and broken YAML are reported where they are', () => {
  const w = ws({
    'o.yaml': `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMapPlacement
metadata: {name: lonely, namespace: demo}
spec: {clusterNames: [cluster1]}
---
a: [1
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedSecretOverride
metadata: {name: lonely, namespace: demo}
spec: {overrides: []}
`,
  });
  assert.deepEqual(codes(w.diagnostics('o.yaml')), ['orphan-override', 'orphan-placement', 'yaml-syntax']);
  const syn = w.diagnostics('o.yaml').find((d) => d.code === 'yaml-syntax')!;
  assert.ok(syn.range.start.line >= 5 && syn.range.start.line <= 6);
});

test('an edit re-parses one document and updates diagnostics', () => {
  const w = ws({ 'ns.yaml': FNS, 'web.yaml': DEPLOY });
  assert.equal(w.diagnostics('web.yaml').length, 0);
  w.setFile('web.yaml', DEPLOY.replace('name: cluster1\n  overrides', 'name: cluster7\n  overrides'));
  assert.deepEqual(codes(w.diagnostics('web.yaml')), ['unknown-cluster']);
});

test('isPropagated: a type whose FederatedTypeConfig disables propagation is not propagated', async () => {
  const { isPropagated } = await import('../../server/engine/resources.ts');
  const w = ws({
    'clusters.yaml': CLUSTERS,
    'ns.yaml': FNS,
    'ftc.yaml': `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: configmaps, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedConfigMap, pluralName: federatedconfigmaps, scope: Namespaced, version: v1beta1}
  propagation: Disabled
  targetType: {kind: ConfigMap, pluralName: configmaps, scope: Namespaced, version: v1}
`,
    'apps.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: off, namespace: demo}
spec:
  template: {data: {a: b}}
  placement: {clusterSelector: {}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: on, namespace: demo}
spec:
  template: {data: {a: Yg==}}
  placement: {clusterSelector: {}}
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeploymentPlacement
metadata: {name: lonely, namespace: demo}
spec:
  clusterNames: [cluster1]
`,
  });
  const by = (name: string) => w.resources().find((r) => r.name === name)!;
  assert.equal(isPropagated(by('off')), false, 'propagation: Disabled');
  assert.equal(isPropagated(by('on')), true);
  assert.equal(w.resources().find((r) => r.name === 'lonely'), undefined, 'a placement without template is no resource');
});

test('analysisInSteps: the same analysis in steps; a change during a pause starts it again', async () => {
  const many = Array.from({ length: 600 }, (_, i) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: c${i}, namespace: demo}
spec:
  template: {data: {a: "1"}}
  placement: {clusters: [{name: cluster${(i % 4) + 1}}]}
`).join('---\n');
  const stepped = ws({ 'ns.yaml': FNS, 'many.yaml': many });
  const whole = ws({ 'ns.yaml': FNS, 'many.yaml': many });
  let pauses = 0;
  const a = await stepped.analysisInSteps(async () => {
    pauses++;
    await new Promise((r) => setImmediate(r));
  });
  assert.ok(pauses >= 4, `paused ${pauses} times`);
  assert.deepEqual(stepped.allDiagnostics(), whole.allDiagnostics());
  assert.equal(a, stepped.analysis(), 'the stepped analysis is the cached one');
  assert.equal(codes(stepped.diagnostics('many.yaml')).filter((c) => c === 'unknown-cluster').length, 150);
  // An edit while paused: the result is the analysis of the edited workspace.
  const edited = many.replace('cluster1}]', 'cluster9}]');
  let changed = false;
  stepped.setFile('many.yaml', many.replace('c0,', 'c0x,'));
  const b = await stepped.analysisInSteps(async () => {
    if (!changed) {
      changed = true;
      stepped.setFile('many.yaml', edited);
    }
    await new Promise((r) => setImmediate(r));
  });
  whole.setFile('many.yaml', edited);
  assert.deepEqual(b.diagnostics.get('many.yaml'), whole.diagnostics('many.yaml'));
  assert.equal(codes(b.diagnostics.get('many.yaml') ?? []).filter((c) => c === 'unknown-cluster').length, 151);
});

test('setObjects: objects read from a cluster get the same analysis as file contents, under a virtual document', async () => {
  const { Workspace, objectSourceUri, isObjectSourceUri } = await import('../../server/engine/workspace.ts');
  const objects: JsonObject[] = [
    { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', metadata: { name: 'cm', namespace: 'ns', managedFields: [{ manager: 'x' }] }, spec: { template: { data: { a: '1' } }, placement: { clusters: [{ name: 'c1' }] }, overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/data/a', value: '2' }] }] } },
    { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'ns', namespace: 'ns' }, spec: { placement: { clusterSelector: {} } } },
    { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'c1', namespace: 'kube-federation-system' }, spec: { apiEndpoint: 'https://c1', secretRef: { name: 's' } } },
  ];
  const fromObjects = new Workspace();
  fromObjects.setObjects('host', objects);
  const fromText = new Workspace();
  fromText.setFile('a.yaml', objects.map((o) => '---\n' + JSON.stringify(o)).join('\n'));
  const summary = (ws: InstanceType<typeof Workspace>) =>
    ws.resources().map((r) => ({ id: r.id, selected: r.placement.selected, objects: ws.renderAll(r).map((x) => x.object) }));
  assert.deepEqual(summary(fromObjects), summary(fromText));
  assert.deepEqual(fromObjects.clusters().map((c) => c.name), ['c1']);
  const uri = objectSourceUri('host');
  assert.ok(isObjectSourceUri(uri) && !isObjectSourceUri('file:///a.yaml'));
  assert.doesNotMatch(fromObjects.getFile(uri)!.text, /managedFields/);
  assert.equal(fromObjects.resources()[0]!.main!.uri, uri);
  fromObjects.setObjects('host', []);
  assert.deepEqual(fromObjects.resources(), []);
});

test('cluster sources: kubeconfig contexts are members only when nothing else declares one; otherwise they fill in context and server', () => {
  const ws = new Workspace();
  ws.setClusterSource('kubeconfig', [
    { name: 'c1', labels: {}, source: 'kubeconfig', context: 'ctx1', server: 'https://c1' },
    { name: 'scratch', labels: {}, source: 'kubeconfig', context: 'scratch' },
  ]);
  assert.deepEqual(ws.clusters().map((c) => c.name), ['c1', 'scratch']);
  ws.setClusterSource('host', [{ name: 'c1', labels: { region: 'eu' }, source: 'host' }]);
  assert.deepEqual(ws.clusters().map((c) => [c.name, c.source, c.context, c.server, c.labels]), [['c1', 'host', 'ctx1', 'https://c1', { region: 'eu' }]]);
  ws.setClusterSource('host', []);
  ws.setFile('c.yaml', 'apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: c2, namespace: kube-federation-system}\nspec: {apiEndpoint: "https://c2", secretRef: {name: s}}\n');
  assert.deepEqual(ws.clusters().map((c) => c.name), ['c2']);
});

test('cluster sources: every named kubefed.clusters entry is a member with its labels, for the language server as for a run', () => {
  assert.deepEqual(
    clustersFromSettings([{ name: 'c1', context: 'ctx-a' }, { name: 'c2', labels: { region: 'eu', bad: 1 } }, { labels: {} }, 'c3', { name: '' }]),
    [
      { name: 'c1', labels: {}, source: 'settings' },
      { name: 'c2', labels: { region: 'eu' }, source: 'settings' },
    ],
  );
  const ws = new Workspace();
  ws.setClusterSource('kubeconfig', [
    { name: 'c1', labels: {}, source: 'kubeconfig', context: 'ctx-a' },
    { name: 'scratch', labels: {}, source: 'kubeconfig', context: 'scratch' },
  ]);
  // An entry without labels still declares a member: the kubeconfig's other contexts are not members.
  ws.setClusterSource('settings', clustersFromSettings([{ name: 'c1' }]));
  assert.deepEqual(ws.clusters().map((c) => [c.name, c.source, c.context]), [['c1', 'settings', 'ctx-a']]);
});

test('resourcesIn: every resource with a part in the file, in analysis order, after edits too', () => {
  const rsp = `apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: demo}
spec: {targetKind: FederatedDeployment, totalReplicas: 3}
`;
  const w = ws({ 'ns.yaml': FNS, 'web.yaml': DEPLOY, 'rsp.yaml': rsp });
  const naive = (uri: string) =>
    w.resources().filter((r) => [r.main?.uri, r.placementObject?.uri, r.overrideObject?.uri, r.rsp?.object.uri].includes(uri));
  for (const uri of ['ns.yaml', 'web.yaml', 'rsp.yaml', 'none.yaml']) assert.deepEqual(w.resourcesIn(uri), naive(uri), uri);
  assert.equal(w.resourcesIn('rsp.yaml').length, 1);
  w.setFile('rsp.yaml', '');
  assert.deepEqual(w.resourcesIn('rsp.yaml'), []);
  assert.deepEqual(w.resourcesIn('web.yaml'), naive('web.yaml'));
});
