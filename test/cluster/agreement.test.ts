/**
 * Compare never contradicts Propagate: for generated workspaces and generated live states of three
 * real kube-apiservers (absent, managed and in sync, managed and drifted, unlabeled,
 * `kubefed.io/managed: "false"`, orphan-annotated federated objects, the host cluster's own
 * namespace placed or not, a cluster that does not answer, adoption on or off), the verdict of
 * `kfed diff` and the decision of `kfed propagate --dry-run=server` agree for every resource and
 * cluster: the same operation, and for a refusal the same status.
 *
 * The diff given its old rules back (no adoption, no host-namespace rule: the plan of a plain
 * "managed and not placed → unexpected" reading) fails this test on the first scenario that has
 * an unplaced host namespace or an unlabeled object with adoption on.
 *
 *   node --test --import tsx test/cluster/agreement.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { uniqueName, useFederation } from '../clusters/fixtures.ts';
import { propagate } from '../../server/cluster/propagate.ts';
import { diffClusters } from '../../server/cluster/diff.ts';
import { fedConfigMap, fedNamespace, session, yamlDocs, type Obj } from './helpers.ts';

const fx = useFederation();
const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];

type LiveState = 'absent' | 'managed' | 'drifted' | 'unlabeled' | 'managed-false';

interface Scenario {
  adopt: boolean;
  /** cluster3 reached through a context whose server does not answer. */
  deadCluster3: boolean;
  nsPlacement: string[];
  /** Live state of the namespace in each cluster (it always exists: the objects need it). */
  nsLabeled: boolean[];
  resources: { placement: string[]; orphan: boolean; live: LiveState[] }[];
}

const subset = fc.subarray(CLUSTERS);
const live = fc.constantFrom<LiveState>('absent', 'managed', 'drifted', 'unlabeled', 'managed-false');
const scenario: fc.Arbitrary<Scenario> = fc.record({
  adopt: fc.boolean(),
  deadCluster3: fc.boolean(),
  nsPlacement: subset,
  nsLabeled: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  resources: fc.array(fc.record({ placement: subset, orphan: fc.boolean(), live: fc.tuple(live, live, live) }), { minLength: 1, maxLength: 4 }),
});

/** A kubeconfig with one more context, `dead`, whose server refuses connections. */
function kubeconfigWithDeadContext(dir: string): string {
  const kc = parse(readFileSync(fx.fed.kubeconfigPath, 'utf8')) as Obj;
  const ctx = kc.contexts.find((c: Obj) => c.name === 'cluster3').context;
  kc.clusters.push({ name: 'dead', cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true } });
  kc.contexts.push({ name: 'dead', context: { cluster: 'dead', user: ctx.user } });
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, stringify(kc));
  return path;
}

async function setLive(ns: string, sc: Scenario): Promise<void> {
  await Promise.all(
    CLUSTERS.map(async (cluster, ci) => {
      const labels = sc.nsLabeled[ci] ? { 'kubefed.io/managed': 'true' } : {};
      const r = await fx.fed.request(cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } });
      assert.equal(r.status, 201, r.body);
      await Promise.all(
        sc.resources.map(async (res, ri) => {
          const state = res.live[ci]!;
          if (state === 'absent') return;
          const labels =
            state === 'managed' || state === 'drifted' ? { 'kubefed.io/managed': 'true' } : state === 'managed-false' ? { 'kubefed.io/managed': 'false' } : {};
          const data = state === 'drifted' ? { v: 'edited' } : { v: String(ri) };
          const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${ri}`, namespace: ns, labels }, data };
          const c = await fx.fed.request(cluster, 'POST', `/api/v1/namespaces/${ns}/configmaps`, body);
          assert.equal(c.status, 201, c.body);
        }),
      );
    }),
  );
}

function files(ns: string, sc: Scenario): Record<string, string> {
  const docs = [fedNamespace(ns, sc.nsPlacement)];
  sc.resources.forEach((r, i) => docs.push(fedConfigMap(ns, `cm${i}`, { v: String(i) }, r.placement, r.orphan ? { 'kubefed.io/orphan': 'true' } : undefined)));
  return { 'fed.yaml': yamlDocs(...docs) };
}

test('kfed diff and kfed propagate --dry-run=server decide the same for every resource and cluster', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-agree-'));
  try {
    const kubeconfigPath = kubeconfigWithDeadContext(dir);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        runs++;
        const ns = uniqueName('agree');
        await setLive(ns, sc);
        const s = await session(fx.fed, files(ns, sc), { kubeconfigPath, contextMap: sc.deadCluster3 ? ['cluster3=dead'] : undefined, timeoutMs: 5000 });
        try {
          const common = { workspace: s.ws, connections: s.connections, adopt: sc.adopt, hostCluster: s.hostCluster };
          const p = await propagate({ ...common, dryRun: true, forceConflicts: true });
          const d = await diffClusters(common);
          const key = (id: string | undefined, cluster: string) => `${id}|${cluster}`;
          const decided = new Map(p.outcomes.map((o) => [key(o.resourceId, o.cluster), o]));
          const verdicts = new Map(d.entries.map((e) => [key(e.resourceId, e.cluster), e]));
          assert.deepEqual([...verdicts.keys()].sort(), [...decided.keys()].sort(), 'the same (resource, cluster) pairs are reported');
          for (const [k, o] of decided) {
            const e = verdicts.get(k)!;
            assert.equal(e.operation, o.action, `${k}: diff says ${e.state}/${e.operation}, propagate ${o.action}/${o.result}`);
            if (o.action === 'none') assert.equal(e.status ?? '', o.status, `${k}: status`);
          }
        } finally {
          s.connections.close();
        }
      }),
      { numRuns: 12, seed: Number(process.env.KFED_AGREEMENT_SEED ?? Date.now() % 2 ** 31) },
    );
    assert.equal(runs >= 12, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
