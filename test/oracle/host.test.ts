/**
 * Working with a running KubeFed: `kfed apply` to the host, `kfed status` reading KubeFed's own
 * status, and `kfed propagate` refusing to fight the controller — on three real API servers
 * with KubeFed v0.10.0's controller-manager. Cases run side by side, one namespace each; the
 * unready-cluster case runs last (it stops a member for good).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startFederation, type Federation } from '../clusters/launcher.ts';
import { killCluster } from '../clusters/chaos.ts';
import { fedConfigMap, fedNamespace, yamlDocs, type Obj } from '../cluster/helpers.ts';
import { run } from '../../server/cli/run.ts';
import { APPLIED_SET_LABEL } from '../../server/engine/hostApply.ts';
import type { StatusReport, StatusRow } from '../../server/cli/status.ts';
import type { HostStateParams, PlacementResponse } from '../../server/lsp/protocol.ts';
import { startServer, uriOf } from '../protocol/harness.ts';

let fed: Federation;
let dir: string;

before(async () => {
  fed = await startFederation({ kubefedController: true, readyTimeoutMs: 180_000 });
  dir = mkdtempSync(join(tmpdir(), 'kfed-host-'));
}, { timeout: 300_000 });

after(async () => {
  await fed?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, ...objs: Obj[]): string {
  const p = join(dir, name);
  writeFileSync(p, yamlDocs(...objs));
  return p;
}

const kc = () => ['--kubeconfig', fed.kubeconfigPath, '--host-context', 'cluster1'];

async function apply(...args: string[]) {
  return run(['apply', ...args, ...kc()] as ['apply', ...string[]]);
}

async function status(...args: string[]): Promise<StatusReport> {
  const r = await run(['status', ...args, ...kc(), '-o', 'json'] as ['status', ...string[]]);
  assert.equal(r.exit, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusReport;
}

/** Polls `kfed status` until `done` holds for the resource (KubeFed reconciles asynchronously). */
async function statusUntil(path: string, name: string, done: (r: StatusRow) => boolean, timeoutMs = 60_000): Promise<StatusRow> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusRow | undefined;
  while (Date.now() < deadline) {
    last = (await status(path)).resources.find((r) => r.name === name);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`status of ${name} never matched; last: ${JSON.stringify(last)}`);
}

/** Enables or disables KubeFed's sync of one type (its FederatedTypeConfig's spec.propagation). */
async function setTypePropagation(ftcName: string, value: 'Enabled' | 'Disabled'): Promise<void> {
  const path = `/apis/core.kubefed.io/v1beta1/namespaces/${fed.kubefedNamespace}/federatedtypeconfigs/${ftcName}`;
  const ftc = (await fed.request('cluster1', 'GET', path)).json();
  ftc.spec.propagation = value;
  const put = await fed.request('cluster1', 'PUT', path, ftc);
  assert.equal(put.status, 200, put.body);
}

async function memberObject(cluster: string, ns: string, name: string): Promise<Obj | null> {
  const r = await fed.request(cluster, 'GET', `/api/v1/namespaces/${ns}/configmaps/${name}`);
  return r.status === 200 ? r.json() : null;
}

describe('kfed apply and kfed status against the real KubeFed', { concurrency: true }, () => {
  it('applies to the host (creating the host namespace), KubeFed propagates, status says so', async () => {
    const ns = 'h-healthy';
    const p = file('healthy.yaml', fedNamespace(ns), fedConfigMap(ns, 'app', { a: '1' }, ['cluster1', 'cluster2']));
    const dry = await apply(p, '--dry-run=server');
    assert.equal(dry.exit, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /dry run/);
    assert.equal((await fed.request('cluster1', 'GET', `/api/v1/namespaces/${ns}`)).status, 404, 'a dry run creates nothing');
    const r = await apply(p);
    assert.equal(r.exit, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`Namespace ${ns} \\(host namespace\\) created`));
    assert.match(r.stdout, /FederatedConfigMap h-healthy\/app created/);
    const row = await statusUntil(p, 'app', (x) => x.state === 'propagated');
    assert.deepEqual(row.clusters.map((c) => [c.name, c.status]), [['cluster1', ''], ['cluster2', '']]);
    assert.equal(row.observedGeneration, row.generation);
    assert.deepEqual((await memberObject('cluster2', ns, 'app'))?.data, { a: '1' });
    const again = await apply(p);
    assert.match(again.stdout, /FederatedConfigMap h-healthy\/app unchanged/);
    const exit = await run(['status', p, ...kc(), '--exit-code'] as ['status', ...string[]]);
    assert.equal(exit.exit, 0, exit.stdout);
    assert.match(exit.stdout, /KubeFed controller: running/);
    // an edit not yet applied: the host differs from the workspace
    const edited = file('healthy-edited.yaml', fedNamespace(ns), fedConfigMap(ns, 'app', { a: '2' }, ['cluster1', 'cluster2']));
    assert.match((await apply(edited, '--dry-run=server')).stdout, /FederatedConfigMap h-healthy\/app would configure/);
    const row2 = (await status(edited)).resources.find((x) => x.name === 'app')!;
    assert.deepEqual(row2.differs, ['spec.template']);
    assert.match(row2.hint ?? '', /differs from the workspace/);
    assert.equal((await run(['status', edited, ...kc(), '--exit-code'] as ['status', ...string[]])).exit, 1);
  });

  it('a failing override: KubeFed reports ApplyOverridesFailed for that cluster, with what to do', async () => {
    const ns = 'h-override';
    const cm = { ...fedConfigMap(ns, 'bad', { a: '1' }, ['cluster1', 'cluster2']) };
    cm.spec.overrides = [{ clusterName: 'cluster2', clusterOverrides: [{ op: 'replace', path: '/data/missing/deeper', value: 'x' }] }];
    const p = file('override.yaml', fedNamespace(ns), cm);
    // the engine sees the bad path too: validation refuses unless --force
    const refused = await apply(p);
    if (refused.exit === 1 && /nothing was applied/.test(refused.stderr)) {
      assert.equal((await fed.request('cluster1', 'GET', `/api/v1/namespaces/${ns}`)).status, 404);
      const forced = await apply(p, '--force');
      assert.equal(forced.exit, 0, forced.stderr + forced.stdout);
    } else assert.equal(refused.exit, 0, refused.stderr + refused.stdout);
    const row = await statusUntil(p, 'bad', (x) => x.state === 'failed' && x.clusters.some((c) => c.status === 'ApplyOverridesFailed'));
    assert.equal(row.propagation?.status, 'False');
    const c2 = row.clusters.find((c) => c.name === 'cluster2')!;
    assert.equal(c2.status, 'ApplyOverridesFailed');
    assert.match(c2.hint ?? '', /override for cluster2/);
    assert.equal(row.clusters.find((c) => c.name === 'cluster1')?.status, '');
    const text = await run(['status', p, ...kc(), '--exit-code'] as ['status', ...string[]]);
    assert.equal(text.exit, 1);
    assert.match(text.stdout, /cluster2\s+ApplyOverridesFailed/);
  });

  it('a namespace without FederatedNamespace: NamespaceNotFederated', async () => {
    const ns = 'h-nsnf';
    const p = file('nsnf.yaml', fedConfigMap(ns, 'lonely', { a: '1' }, ['cluster1']));
    const r = await apply(p, '--force');
    assert.equal(r.exit, 0, r.stderr + r.stdout);
    const row = await statusUntil(p, 'lonely', (x) => x.propagation?.reason === 'NamespaceNotFederated');
    assert.equal(row.state, 'failed');
    assert.match(row.hint ?? '', /no FederatedNamespace/);
  });

  it('a resource the host lacks: missing in the host, with what to do', async () => {
    const ns = 'h-missing';
    const p = file('missing.yaml', fedNamespace(ns), fedConfigMap(ns, 'never-applied', { a: '1' }, ['cluster1']));
    const row = (await status(p)).resources.find((x) => x.name === 'never-applied')!;
    assert.equal(row.state, 'missing');
    assert.match(row.hint ?? '', /kfed apply it/);
  });

  it('a change KubeFed has not observed yet (its type is disabled after the first propagation)', { timeout: 180_000 }, async () => {
    const ns = 'h-pending';
    const job = (image: string): Obj => ({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedJob',
      metadata: { name: 'work', namespace: ns },
      spec: {
        template: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } } } },
        placement: { clusters: [{ name: 'cluster1' }] },
      },
    });
    const p = file('pending.yaml', fedNamespace(ns), job('busybox:1'));
    assert.equal((await apply(p)).exit, 0);
    await statusUntil(p, 'work', (x) => x.state === 'propagated');
    const setPropagation = (value: 'Enabled' | 'Disabled') => setTypePropagation('jobs.batch', value);
    await setPropagation('Disabled');
    try {
      await new Promise((r) => setTimeout(r, 5000)); // KubeFed stops the type's sync controller
      const p2 = file('pending2.yaml', fedNamespace(ns), job('busybox:2'));
      assert.equal((await apply(p2)).exit, 0);
      for (let i = 0; i < 5; i++) {
        const row = (await status(p2)).resources.find((x) => x.name === 'work')!;
        assert.equal(row.state, 'pending', JSON.stringify(row));
        assert.equal(row.observedGeneration, 1);
        assert.equal(row.generation, 2);
        assert.match(row.hint ?? '', /not seen your last change yet \(generation 2, observed 1\)/);
        await new Promise((r) => setTimeout(r, 1000));
      }
      const text = await run(['status', p2, ...kc()] as ['status', ...string[]]);
      assert.match(text.stdout, /FederatedJob h-pending\/work: not yet reconciled/);
    } finally {
      await setPropagation('Enabled');
    }
  });

  it('prune removes only what this apply set wrote and the inputs dropped', async () => {
    const ns = 'h-prune';
    const both = file('prune-both.yaml', fedNamespace(ns), fedConfigMap(ns, 'keep', { a: '1' }, ['cluster1']), fedConfigMap(ns, 'drop', { a: '1' }, ['cluster1']));
    assert.equal((await apply(both, '--set', 'prune-test')).exit, 0);
    // an object in the same namespace that kfed apply did not write
    const foreign = fedConfigMap(ns, 'foreign', { a: '1' }, ['cluster1']);
    const created = await fed.request('cluster1', 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps`, foreign);
    assert.equal(created.status, 201, created.body);
    const one = file('prune-one.yaml', fedNamespace(ns), fedConfigMap(ns, 'keep', { a: '1' }, ['cluster1']));
    const dry = await apply(one, '--set', 'prune-test', '--prune', '--dry-run=server');
    assert.match(dry.stdout, /FederatedConfigMap h-prune\/drop would prune/);
    const r = await apply(one, '--set', 'prune-test', '--prune');
    assert.equal(r.exit, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /FederatedConfigMap h-prune\/drop pruned/);
    assert.doesNotMatch(r.stdout, /foreign|keep (would )?prune|Namespace h-prune (would )?prune/);
    const list = await fed.request('cluster1', 'GET', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps`);
    const names = list.json().items.map((o: Obj) => o.metadata.name).sort();
    assert.deepEqual(names, ['foreign', 'keep']);
    assert.equal(list.json().items.find((o: Obj) => o.metadata.name === 'keep').metadata.labels[APPLIED_SET_LABEL], 'prune-test');
  });

  it('status --watch prints again when KubeFed reports a change, and ends on cancel', async (t) => {
    const ns = 'h-watch';
    const p = file('watch.yaml', fedNamespace(ns), fedConfigMap(ns, 'w', { a: '1' }, ['cluster1']));
    assert.equal((await apply(p)).exit, 0);
    await statusUntil(p, 'w', (x) => x.state === 'propagated');
    const printed: string[] = [];
    const ctrl = new AbortController();
    process.env.KFED_STATUS_INTERVAL_MS = '300';
    t.after(() => ctrl.abort()); // a failed check must not leave the watch running
    const watching = run(['status', p, ...kc(), '--watch', '-o', 'json'] as ['status', ...string[]], { stdout: (s) => printed.push(s), signal: ctrl.signal });
    const reports = () => printed.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StatusReport);
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok(cond(), printed.join(''));
    };
    await until(() => reports().length >= 1);
    assert.equal(reports()[0]!.resources[0]!.state, 'propagated');
    // an edit: the host object changes (generation 2), KubeFed reconciles it
    const p2 = file('watch.yaml', fedNamespace(ns), fedConfigMap(ns, 'w', { a: '2' }, ['cluster1']));
    assert.equal((await apply(p2)).exit, 0);
    await until(() => reports().some((r) => r.resources[0]!.generation === 2 && r.resources[0]!.state === 'propagated'));
    // once KubeFed is done writing (a reconcile can write status twice), nothing more is printed
    await new Promise((r) => setTimeout(r, 3000));
    const n = reports().length;
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(reports().length, n, `nothing changed: nothing printed\n${printed.slice(-2).join('')}`);
    ctrl.abort();
    const r = await watching;
    assert.equal(r.exit, 0);
  });

  it('diff --kubefed says where a difference comes from: unapplied edits, or drift KubeFed has not corrected', { timeout: 180_000 }, async () => {
    // A Secret: the only type of this file whose FederatedTypeConfig this case disables
    const ns = 'h-diff';
    const fedSecret = (a: string): Obj => ({
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedSecret',
      metadata: { name: 'd', namespace: ns },
      spec: { template: { type: 'Opaque', data: { a: Buffer.from(a).toString('base64') } }, placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } },
    });
    const p = file('diff.yaml', fedNamespace(ns), fedSecret('1'));
    assert.equal((await apply(p)).exit, 0);
    await statusUntil(p, 'd', (x) => x.state === 'propagated');
    const diff = async (path: string) => {
      const r = await run(['diff', path, ...kc(), '--kubefed', '-o', 'json'] as ['diff', ...string[]]);
      return JSON.parse(r.stdout) as { entries: { cluster: string; state: string; resourceId?: string; kubefed?: { cause?: string; hostState: string } }[] };
    };
    const of = (r: Awaited<ReturnType<typeof diff>>, cluster: string) => r.entries.find((e) => e.cluster === cluster && e.resourceId === `v1beta1:Secret:${ns}/d`)!;
    // in sync everywhere: no cause
    const same = await diff(p);
    assert.equal(of(same, 'cluster2').state, 'in-sync', JSON.stringify(same));
    assert.equal(of(same, 'cluster2').kubefed?.cause, undefined);
    // an edit not applied to the host: the members hold the host's version
    const edited = file('diff-edited.yaml', fedNamespace(ns), fedSecret('2'));
    const unapplied = await diff(edited);
    assert.equal(of(unapplied, 'cluster2').state, 'drifted');
    assert.equal(of(unapplied, 'cluster2').kubefed?.cause, 'unapplied');
    const text = await run(['diff', edited, ...kc(), '--kubefed'] as ['diff', ...string[]]);
    assert.match(text.stdout, /KubeFed: the host does not have your edits/);
    // a change made in cluster2 behind KubeFed's back, while KubeFed does not sync the type (so it stays)
    const setPropagation = (value: 'Enabled' | 'Disabled') => setTypePropagation('secrets', value);
    await setPropagation('Disabled');
    try {
      await new Promise((r) => setTimeout(r, 5000)); // KubeFed stops the type's sync controller
      const path = `/api/v1/namespaces/${ns}/secrets/d`;
      const live = (await fed.request('cluster2', 'GET', path)).json();
      live.data = { a: Buffer.from('changed-in-cluster2').toString('base64') };
      assert.equal((await fed.request('cluster2', 'PUT', path, live)).status, 200);
      const drift = of(await diff(p), 'cluster2');
      assert.equal(drift.state, 'drifted', JSON.stringify(drift));
      assert.equal(drift.kubefed?.cause, 'drift');
      assert.equal(of(await diff(p), 'cluster1').state, 'in-sync');
    } finally {
      await setPropagation('Enabled');
    }
  });

  it('propagate refuses to write to the members next to a running KubeFed controller', async () => {
    const ns = 'h-refuse';
    const p = file('refuse.yaml', fedNamespace(ns), fedConfigMap(ns, 'direct', { a: '1' }, ['cluster2']));
    const r = await run(['propagate', p, ...kc()] as ['propagate', ...string[]]);
    assert.equal(r.exit, 1, r.stdout);
    assert.match(r.stderr, /a KubeFed controller runs on cluster1.*kfed apply/s);
    assert.equal(await memberObject('cluster2', ns, 'direct'), null);
    // without --host-context it is found on the members too
    const members = await run(['propagate', p, '--kubeconfig', fed.kubeconfigPath] as ['propagate', ...string[]]);
    assert.equal(members.exit, 1, members.stdout);
    assert.match(members.stderr, /a KubeFed controller runs/);
    // a dry run writes nothing and only warns
    const dry = await run(['propagate', p, ...kc(), '--dry-run=server'] as ['propagate', ...string[]]);
    assert.equal(dry.exit, 0, dry.stderr + dry.stdout);
    assert.match(dry.stderr, /warning: a KubeFed controller runs/);
  });
});

describe('the language server watching the host (kubefed.hostCluster)', () => {
  it("shows KubeFed's failure as a diagnostic at the override, in the placement and in the host state, and clears it once fixed", { timeout: 180_000 }, async () => {
    const ns = 'h-lsp';
    const folder = mkdtempSync(join(tmpdir(), 'kfed-host-lsp-'));
    const cm = fedConfigMap(ns, 'shown', { a: '1' }, ['cluster1', 'cluster2']);
    cm.spec.overrides = [{ clusterName: 'cluster2', clusterOverrides: [{ op: 'replace', path: '/data/missing/deeper', value: 'x' }] }];
    const path = join(folder, 'app.yaml');
    writeFileSync(path, yamlDocs(fedNamespace(ns), cm));
    assert.equal((await apply(path, '--force')).exit, 0);
    // a client like Neovim: no workspace/configuration, settings as initialization options
    const c = await startServer({ folder, initializationOptions: { kubeconfig: fed.kubeconfigPath, hostCluster: 'cluster1' } });
    try {
      const uri = uriOf(path);
      const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'kubefed-status'), 60_000);
      const status = d.find((y) => y.code === 'kubefed-status')!;
      assert.match(String(status.message), /KubeFed: ApplyOverridesFailed in cluster2/);
      const text = readFileSync(path, 'utf8').split('\n');
      assert.match(text[status.range.start.line]!, /clusterName: cluster2/, 'at the override of cluster2');
      const placement = await c.request<PlacementResponse>('kubefed/placement', {});
      const r = placement.resources.find((x) => x.name === 'shown')!;
      assert.equal(r.host?.state, 'failed');
      assert.equal(r.host?.clusters.cluster2, 'ApplyOverridesFailed');
      assert.equal(r.host?.clusters.cluster1, '');
      const lenses = async () => (await c.request<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.title);
      assert.ok((await lenses()).includes('KubeFed: not propagated (1/2)'), (await lenses()).join(' | '));
      const state = c.notifications.filter((n) => n.method === 'kubefed/hostState').map((n) => n.params as HostStateParams);
      const last = state[state.length - 1]!;
      assert.equal(last.host, 'cluster1');
      assert.equal(last.connected, true);
      assert.equal(last.controller?.running, true);
      assert.deepEqual(last.clusters.map((x) => [x.name, x.ready]), [['cluster1', true], ['cluster2', true], ['cluster3', true]]);
      // fixed in the file and applied: KubeFed propagates, the diagnostic goes
      delete cm.spec.overrides;
      writeFileSync(path, yamlDocs(fedNamespace(ns), cm));
      c.open(uri, readFileSync(path, 'utf8'));
      assert.equal((await apply(path)).exit, 0);
      await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'kubefed-status'), 60_000);
      const after = (await c.request<PlacementResponse>('kubefed/placement', {})).resources.find((x) => x.name === 'shown')!;
      assert.equal(after.host?.state, 'propagated');
      assert.ok((await lenses()).includes('KubeFed: propagated to 2/2'), (await lenses()).join(' | '));
    } finally {
      await c.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('an unready cluster (runs last: stops cluster3 for good)', () => {
  it('KubeFed reports ClusterNotReady for it', { timeout: 180_000 }, async () => {
    const ns = 'h-unready';
    const p = file('unready.yaml', fedNamespace(ns), fedConfigMap(ns, 'app', { a: '1' }, ['cluster1', 'cluster3']));
    assert.equal((await apply(p)).exit, 0);
    await statusUntil(p, 'app', (x) => x.state === 'propagated');
    await killCluster(fed, 'cluster3');
    // a new generation makes KubeFed visit every cluster; cluster3 no longer answers
    const p2 = file('unready2.yaml', fedNamespace(ns), fedConfigMap(ns, 'app', { a: '2' }, ['cluster1', 'cluster3']));
    const deadline = Date.now() + 120_000;
    let row: StatusRow | undefined;
    while (Date.now() < deadline) {
      await apply(p2);
      row = (await status(p2)).resources.find((x) => x.name === 'app');
      if (row?.clusters.some((c) => c.name === 'cluster3' && c.status === 'ClusterNotReady')) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const c3 = row?.clusters.find((c) => c.name === 'cluster3');
    assert.equal(c3?.status, 'ClusterNotReady', JSON.stringify(row));
    assert.match(c3?.hint ?? '', /not ready/);
    assert.equal(row?.state, 'failed');
  });
});

describe('the host restarted (runs last)', () => {
  it('status --watch goes on across a restart of the host and reports what changed after it', { timeout: 180_000 }, async () => {
    const ns = 'h-restart';
    const p = file('restart.yaml', fedNamespace(ns), fedConfigMap(ns, 'r', { a: '1' }, ['cluster1']));
    assert.equal((await apply(p)).exit, 0);
    const printed: string[] = [];
    const errors: string[] = [];
    const ctrl = new AbortController();
    process.env.KFED_STATUS_INTERVAL_MS = '300';
    const watching = run(['status', p, ...kc(), '--watch', '-o', 'json', '--request-timeout', '3s'] as ['status', ...string[]], {
      stdout: (s) => printed.push(s),
      stderr: (s) => errors.push(s),
      signal: ctrl.signal,
    });
    const until = async (what: string, cond: () => boolean) => {
      const deadline = Date.now() + 90_000;
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok(cond(), `${what}\nprinted: ${printed.join('')}\nstderr: ${errors.join('')}`);
    };
    let ended: unknown;
    void watching.then((r) => (ended = r), (e) => (ended = e));
    try {
    await until('a first report', () => printed.length >= 1);
    await fed.restart('cluster1');
    assert.equal(ended, undefined, `the watch ended with the host's restart: ${String(ended)}`);
    // After the restart the watch still reports: an edit of the host object shows up.
    const p2 = file('restart.yaml', fedNamespace(ns), fedConfigMap(ns, 'r', { a: '2' }, ['cluster1']));
    const deadline = Date.now() + 60_000;
    let applied = await apply(p2);
    while (applied.exit !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000)); // the host may still be settling
      applied = await apply(p2);
    }
    assert.equal(applied.exit, 0, applied.stderr + applied.stdout);
    const reports = () => printed.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StatusReport);
    await until('a report after the restart', () => reports().some((x) => x.resources.find((y) => y.name === 'r')?.generation === 2));
    assert.equal(ended, undefined, 'the watch is still running');
    } finally {
      ctrl.abort(); // never leave the watch running: it would keep this process alive
    }
    assert.equal((await watching).exit, 0);
  });
});
