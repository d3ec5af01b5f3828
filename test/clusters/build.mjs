#!/usr/bin/env node
// Builds the real `kube-apiserver` and `etcd` binaries used by the test clusters and by
// `npm run clusters`, from the two small Go modules in ./go (their go.mod and go.sum pin the
// versions). The binaries go to a cache folder outside the repository, one per version pair:
//
//   $KFED_CACHE_DIR, or else ${XDG_CACHE_HOME:-~/.cache}/kubefed-tools/apiserver-<k8s>-etcd-<etcd>/
//
// and are reused when both are present. Usage:
//
//   node test/clusters/build.mjs           build unless cached; progress on stderr
//   node test/clusters/build.mjs --print   print {dir, kubeApiserver, etcd, ...} as JSON, never build
//   node test/clusters/build.mjs --force   rebuild even when cached
//   node test/clusters/build.mjs --kubefed also KubeFed's controller-manager (./go/kubefed), cached in
//                                           .../kubefed-tools/kubefed-<version>/ ($KFED_KUBEFED_DIR)
//
// Exit status: 0 when both binaries are present afterwards, 1 when the build failed,
// 2 when `go` is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const apiserverModule = join(here, 'go', 'apiserver');
const etcdModule = join(here, 'go', 'etcd');
const kubefedModule = join(here, 'go', 'kubefed');

/** The version a module requires of `path`, read from its go.mod. */
function requiredVersion(goModDir, path) {
  const text = readFileSync(join(goModDir, 'go.mod'), 'utf8');
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(text);
  if (!m) throw new Error(`${path} is not required by ${join(goModDir, 'go.mod')}`);
  return m[1];
}

export function paths() {
  const k8sVersion = requiredVersion(apiserverModule, 'k8s.io/kubernetes');
  const etcdVersion = requiredVersion(etcdModule, 'go.etcd.io/etcd/server/v3');
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir =
    process.env.KFED_CACHE_DIR || join(base, 'kubefed-tools', `apiserver-${k8sVersion}-etcd-${etcdVersion}`);
  const kubeApiserver = join(dir, 'kube-apiserver');
  const etcd = join(dir, 'etcd');
  const present = isExecutable(kubeApiserver) && isExecutable(etcd);
  return { dir, kubeApiserver, etcd, k8sVersion, etcdVersion, present, kubefed: kubefedPaths(base) };
}

/** KubeFed's controller-manager, built from ./go/kubefed, cached per KubeFed version. */
function kubefedPaths(base) {
  const version = requiredVersion(kubefedModule, 'sigs.k8s.io/kubefed');
  const dir = process.env.KFED_KUBEFED_DIR || join(base, 'kubefed-tools', `kubefed-${version}`);
  const controllerManager = join(dir, 'controller-manager');
  return { dir, version, controllerManager, moduleDir: kubefedModule, present: isExecutable(controllerManager) };
}

/** Builds KubeFed's controller-manager unless cached. */
export async function buildKubefed({ force = false } = {}) {
  const k = paths().kubefed;
  if (k.present && !force) {
    log(`cached: ${k.controllerManager}`);
    return k;
  }
  requireGo();
  mkdirSync(k.dir, { recursive: true });
  await goBuild({
    name: `kubefed controller-manager ${k.version}`,
    moduleDir: kubefedModule,
    pkg: 'sigs.k8s.io/kubefed/cmd/controller-manager',
    out: k.controllerManager,
    ldflags: `-s -w -X sigs.k8s.io/kubefed/pkg/version.version=${k.version}`,
  });
  return paths().kubefed;
}

function requireGo() {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    const err = new Error(
      'cannot build the test binaries: the `go` command was not found on PATH (Go 1.26 or newer is needed; ' +
        `see test/clusters/go). ${go.error?.message ?? go.stderr}`,
    );
    err.code = 'KFED_NO_GO';
    throw err;
  }
  return go.stdout.trim();
}

function isExecutable(file) {
  try {
    const st = statSync(file);
    return st.isFile() && (st.mode & 0o111) !== 0 && st.size > 0;
  } catch {
    return false;
  }
}

function fmt(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

const log = (msg) => process.stderr.write(`[clusters:build] ${msg}\n`);

/** Runs `go build` for one command, printing a progress line every 20 s. */
function goBuild({ name, moduleDir, pkg, out, ldflags }) {
  return new Promise((resolve, reject) => {
    const tmp = `${out}.tmp-${process.pid}`;
    const args = ['build', '-mod=readonly', '-buildvcs=false', '-trimpath', '-v', '-ldflags', ldflags, '-o', tmp, pkg];
    const env = { ...process.env, CGO_ENABLED: '0', GOWORK: 'off' };
    const started = Date.now();
    log(`${name}: go ${args.join(' ')}`);
    const child = spawn('go', args, { cwd: moduleDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let packages = 0;
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      tail = (tail + chunk).slice(-8000);
      for (const line of chunk.split('\n')) {
        // `go build -v` prints one import path per compiled package; skip download and error lines.
        if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line.trim())) packages++;
      }
    });
    const timer = setInterval(() => log(`${name}: ${packages} packages compiled, ${fmt(Date.now() - started)}`), 20_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (code === 0) {
        renameSync(tmp, out);
        log(`${name}: built in ${fmt(Date.now() - started)} (${packages} packages) -> ${out}`);
        resolve();
      } else {
        rmSync(tmp, { force: true });
        reject(new Error(`go build of ${name} failed (${signal ?? `exit ${code}`}):\n${tail}`));
      }
    });
  });
}

export async function build({ force = false } = {}) {
  const p = paths();
  if (p.present && !force) {
    log(`cached: ${p.dir}`);
    return p;
  }
  const goVersion = requireGo();
  const started = Date.now();
  log(`building kube-apiserver ${p.k8sVersion} and etcd ${p.etcdVersion} with ${goVersion}`);
  log(`into ${p.dir} (cold Go caches take several minutes)`);
  mkdirSync(p.dir, { recursive: true });
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(p.k8sVersion);
  const v = 'k8s.io/component-base/version';
  const k8sLdflags = [
    '-s -w',
    `-X ${v}.gitVersion=${p.k8sVersion}`,
    `-X ${v}.gitMajor=${major}`,
    `-X ${v}.gitMinor=${minor}`,
    `-X ${v}.gitTreeState=clean`,
    `-X ${v}.buildDate=1970-01-01T00:00:00Z`,
  ].join(' ');
  if (!isExecutable(p.etcd) || force) {
    await goBuild({ name: 'etcd', moduleDir: etcdModule, pkg: 'go.etcd.io/etcd/server/v3', out: p.etcd, ldflags: '-s -w' });
  }
  if (!isExecutable(p.kubeApiserver) || force) {
    await goBuild({
      name: 'kube-apiserver',
      moduleDir: apiserverModule,
      pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
      out: p.kubeApiserver,
      ldflags: k8sLdflags,
    });
  }
  log(`done in ${fmt(Date.now() - started)}: ${p.dir}`);
  return paths();
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const args = new Set(process.argv.slice(2));
  if (args.has('--print')) {
    process.stdout.write(JSON.stringify(paths()) + '\n');
  } else {
    build({ force: args.has('--force') })
      .then(() => (args.has('--kubefed') ? buildKubefed({ force: args.has('--force') }) : undefined))
      .then(
      () => process.exit(0),
      (err) => {
        log(err.message);
        process.exit(err.code === 'KFED_NO_GO' ? 2 : 1);
      },
    );
  }
}

