/**
 * The differential suite: KubeFed v0.10.0's own controller-manager, on three real API servers, is
 * the judge of the engine. Generated cases (fixed seeds; `KFED_ORACLE_SEED`, `KFED_ORACLE_COUNT`)
 * and the case folders inside `KFED_ORACLE_CASES` run side by side, one namespace each; every
 * case prints one line, and the run ends with `N passed, M failed`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFederation, type Federation } from '../clusters/launcher.ts';
import { folderCases, generatedCases, type OracleCase } from './cases.ts';
import { applyCase, judge, waitSettled, type Verdict } from './judge.ts';
import { expectedFor } from './expected.ts';

const seed = Number(process.env.KFED_ORACLE_SEED ?? 20261203);
const count = Number(process.env.KFED_ORACLE_COUNT ?? 20);
const cases: OracleCase[] = [...generatedCases(seed, count), ...(process.env.KFED_ORACLE_CASES ? folderCases(process.env.KFED_ORACLE_CASES) : [])];

let fed: Federation;
const results = new Map<string, Promise<Verdict>>();
let passed = 0;
let failed = 0;

async function runCase(c: OracleCase): Promise<Verdict> {
  await applyCase(fed, c);
  const host = await waitSettled(fed, c);
  return judge(fed, c, host);
}

before(async () => {
  fed = await startFederation({ kubefedController: true, readyTimeoutMs: 180_000 });
  // Side by side, a few at a time: KubeFed reconciles each type with one worker.
  const queue = [...cases];
  const slots = new Map<string, (v: Verdict | Error) => void>();
  for (const c of cases) results.set(c.name, new Promise((resolve, reject) => slots.set(c.name, (v) => (v instanceof Error ? reject(v) : resolve(v)))));
  for (const p of results.values()) p.catch(() => {});
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const done = slots.get(c.name)!;
      await runCase(c).then(done, (e: Error) => done(e));
    }
  };
  void Promise.all(Array.from({ length: 6 }, worker));
}, { timeout: 300_000 });

after(async () => {
  await fed?.stop();
  console.log(`oracle: ${passed} passed, ${failed} failed`);
});

for (const c of cases) {
  test(`oracle: ${c.name}`, { timeout: 600_000 }, async () => {
    let verdict: Verdict;
    try {
      verdict = await results.get(c.name)!;
    } catch (e) {
      failed++;
      console.log(`FAIL ${c.name}: ${(e as Error).message}`);
      throw e;
    }
    const diffs = verdict.differences;
    const { objects, statuses, failures, conditions } = verdict.compared;
    const what = `${objects} objects, ${statuses} statuses (${failures} failing), ${conditions} conditions${c.skipped ? `; skipped ${c.skipped.join(', ')}` : ''}`;
    // A case that compares nothing proves nothing: every case must judge at least one resource.
    if (conditions === 0) {
      failed++;
      console.log(`FAIL ${c.name}: nothing compared (no federated resource the engine propagates)`);
      assert.fail(`${c.name}: nothing compared`);
    }
    const unexpected = diffs.filter((d) => !expectedFor(d));
    const known = diffs.length - unexpected.length;
    if (unexpected.length) {
      failed++;
      console.log(`FAIL ${c.name}: ${what}\n${unexpected.map((d) => `  ${d.resource} ${d.cluster} ${d.what}: ${d.detail}`).join('\n')}`);
    } else {
      passed++;
      console.log(`ok   ${c.name}: ${what}${known ? ` (${known} expected differences)` : ''}`);
    }
    assert.deepEqual(unexpected, []);
  });
}

test('oracle: the judge sees an object that differs from the engine (control)', { timeout: 300_000 }, async () => {
  const ns = `oracle-control-${seed}`;
  const control: OracleCase = {
    name: 'control',
    members: {},
    host: [
      { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement: { clusterSelector: {} } } },
      {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedConfigMap',
        metadata: { name: 'control', namespace: ns },
        spec: { template: { data: { key: 'value' } }, placement: { clusterSelector: {} } },
      },
    ],
  };
  await Promise.all(results.values()).catch(() => {});
  const before = await runCase(control);
  assert.deepEqual(before.differences, []);
  assert.equal(before.compared.objects, 6, 'a namespace and a config map in each of three clusters');
  // An edit KubeFed has not reverted yet is a difference the judge must report.
  const path = `/api/v1/namespaces/${ns}/configmaps/control`;
  const cm = (await fed.request('cluster2', 'GET', path)).json();
  const r = await fed.request('cluster2', 'PUT', path, { ...cm, data: { key: 'tampered' } });
  assert.equal(r.status, 200, r.body);
  const host = await waitSettled(fed, control, 30_000, 0);
  const after = await judge(fed, control, host);
  assert.ok(
    after.differences.some((d) => d.cluster === 'cluster2' && d.what === 'object' && /tampered/.test(d.detail)),
    JSON.stringify(after.differences),
  );
});
