/**
 * Starts a real, local Kubernetes federation without Docker: ONE etcd and N kube-apiservers
 * (each with its own --etcd-prefix), built from the Go modules in ./go by ./build.mjs.
 *
 *   const fed = await startFederation();          // cluster1 (KubeFed host), cluster2, cluster3
 *   // fed.kubeconfigPath: one kubeconfig, a context per cluster, current-context = host
 *   await fed.stop();
 *
 * The host cluster gets KubeFed's v1beta1 CRDs (./crds.ts), the `kube-federation-system`
 * namespace, a KubeFedConfig, FederatedTypeConfigs for the federated types and one KubeFedCluster
 * per member, joined like `kubefedctl join` does (a service account in the member, its token in
 * a secret in the host).
 *
 * There is no kube-controller-manager, scheduler or kubelet: objects are stored and validated,
 * Services get a ClusterIP, CRDs work, but no Pods or ReplicaSets appear and a deleted namespace
 * stays Terminating.
 *
 * Processes run in their own process groups and are killed (SIGKILL) as groups; everything
 * (processes and the temp folder) is removed on stop(), on process exit, on SIGINT/SIGTERM/SIGHUP,
 * on uncaught errors and when start-up fails. A watchdog shell also kills them and removes the
 * folder if this process dies without running any handler (e.g. SIGKILL), even while stopping.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { federatedTypeConfig, federatedTypes, kubeFedConfig, kubefedCrds } from './crds.ts';
import { ensureKubefedBinary, kubefedManifests, type KubefedBinary } from './kubefed.ts';

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, 'build.mjs');

export const KUBEFED_NAMESPACE = 'kube-federation-system';

/** Labels of the default members, used by placement examples (`region In (us-east, us-west)`). */
export const DEFAULT_LABELS: Record<string, Record<string, string>> = {
  cluster1: { region: 'us-east' },
  cluster2: { region: 'eu-west' },
  cluster3: { region: 'us-west' },
};

export interface FederationOptions {
  /** How many clusters (named cluster1..N) or their names. Default 3. */
  clusters?: number | string[];
  /** The KubeFed host cluster; default the first. It is also a member. */
  hostCluster?: string;
  /** KubeFedCluster labels per cluster name; default DEFAULT_LABELS for the clusters it names. */
  labels?: Record<string, Record<string, string>>;
  /** Progress lines; default none. */
  log?: (line: string) => void;
  /** Build the binaries with build.mjs when they are missing (default true); false throws instead. */
  build?: boolean;
  /** Install the KubeFed CRDs and join the members into the host (default true). */
  kubefed?: boolean;
  /**
   * Run KubeFed's own controller-manager on the host (built by build.mjs --kubefed when missing):
   * the CRDs and FederatedTypeConfigs then come from the pinned KubeFed module's chart (every type
   * KubeFed enables by default), and start-up waits until its /healthz answers and every
   * KubeFedCluster is Ready. Implies `kubefed`.
   */
  kubefedController?: boolean;
  /** Where to write the kubeconfig; default inside the federation's temp folder. */
  kubeconfigPath?: string;
  /** Milliseconds to wait for etcd and every apiserver to be ready; default 120 s. */
  readyTimeoutMs?: number;
}

export interface LaunchedCluster {
  name: string;
  context: string;
  /** https://127.0.0.1:<port> */
  server: string;
  port: number;
  host: boolean;
  labels: Record<string, string>;
}

export interface Federation {
  kubeconfigPath: string;
  /** The temp folder holding the logs, certificates and etcd data; removed on stop. */
  folder: string;
  contexts: string[];
  clusters: LaunchedCluster[];
  hostCluster: string;
  /** The namespace of the KubeFed control plane objects in the host cluster. */
  kubefedNamespace: string;
  /** Kubernetes version of the apiservers, e.g. v1.34.4. */
  version: string;
  /** Client credentials (PEM) valid for every cluster, plus the CA that signed the serving certs. */
  credentials: { ca: string; cert: string; key: string };
  /** Raw HTTPS request against one cluster, as the admin user. */
  request(cluster: string, method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** KubeFed's controller-manager, when started (`kubefedController`); undefined while stopped. */
  controller?: { version: string; log: string; healthz: string };
  /**
   * Stops KubeFed's controller-manager (SIGKILL, as a crash or a pod deletion: its ConfigMap lock
   * stays until it goes stale) and resolves once it has exited. Only with `kubefedController`.
   */
  stopKubefedController(): Promise<void>;
  /** Starts KubeFed's controller-manager again (after stopKubefedController); resolves once its /healthz answers and every KubeFedCluster is Ready. */
  startKubefedController(): Promise<void>;
  /**
   * Stops a cluster's kube-apiserver (SIGKILL) and starts it again on the same port and data
   * (a host or member restart); resolves when it is ready again.
   */
  restart(cluster: string): Promise<void>;
  /** Memory (RSS, bytes) of each process: etcd and every apiserver. */
  memory(): Record<string, number>;
  stop(): Promise<void>;
}

export interface HttpResult {
  status: number;
  body: string;
  json<T = any>(): T;
}

interface BinaryPaths {
  dir: string;
  kubeApiserver: string;
  etcd: string;
  k8sVersion: string;
  etcdVersion: string;
  present: boolean;
}

/** Where build.mjs puts (or would put) the binaries. */
export function binaryPaths(): BinaryPaths {
  const r = spawnSync(process.execPath, [buildScript, '--print'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${buildScript} --print failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as BinaryPaths;
}

/** Runs build.mjs unless the binaries are cached; rejects with its message (naming `go` if missing). */
export function ensureBinaries(log: (line: string) => void = () => {}): Promise<BinaryPaths> {
  const before = binaryPaths();
  if (before.present) return Promise.resolve(before);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [buildScript], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) log(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(binaryPaths());
      const why = code === 2 ? 'the `go` command is missing' : `build.mjs exited with ${code}`;
      reject(new Error(`cannot build kube-apiserver and etcd (${why}):\n${tail.trim()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: every live federation is reachable from the exit and signal handlers.
//
// Stopping never waits for a graceful shutdown: the etcd data is thrown away, so every server is
// killed at once (SIGKILL), which takes milliseconds. The watchdog is dismissed LAST, after the
// servers are gone and the folder is removed: if this process is killed while stopping (a
// SIGKILL following a SIGTERM, as process supervisors do), the watchdog still finishes the job.

interface Running {
  tmp: string;
  pgids: number[];
  watchdog?: ChildProcess;
  /** Set once stopping began: start-up spawns nothing more. */
  stopped?: boolean;
  /** Set once the processes are killed and the folder removed. */
  cleaned?: boolean;
  stopping?: Promise<void>;
}
const live = new Set<Running>();
let handlersInstalled = false;

function killGroups(pgids: number[]): void {
  for (const pgid of pgids) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Synchronous, so it can run in an 'exit' handler: kill everything, remove the folder, then the watchdog. */
function cleanupSync(r: Running): void {
  r.stopped = true;
  if (r.cleaned) return;
  r.cleaned = true;
  killGroups(r.pgids);
  rmSync(r.tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  if (r.watchdog?.pid) killGroups([r.watchdog.pid]);
  live.delete(r);
}

function onExit(): void {
  for (const r of [...live]) cleanupSync(r);
}

/**
 * SIGINT, SIGTERM, SIGHUP: everything is killed and removed synchronously. Then, if the program
 * has no handler of its own for the signal, the process dies of it (exit code 128+n), as it would
 * have without this handler; otherwise the program's handler decides how to exit.
 */
function onSignal(signal: NodeJS.Signals): void {
  onExit();
  uninstallHandlers();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onExit);
  // A monitor does not change Node's default crash behaviour; 'exit' then runs the cleanup too.
  process.on('uncaughtExceptionMonitor', onExit);
  for (const s of signals) process.on(s, onSignal);
}

function uninstallHandlers(): void {
  if (!handlersInstalled || live.size > 0) return;
  handlersInstalled = false;
  process.off('exit', onExit);
  process.off('uncaughtExceptionMonitor', onExit);
  for (const s of signals) process.off(s, onSignal);
}

function stopRunning(r: Running): Promise<void> {
  r.stopping ??= (async () => {
    r.stopped = true;
    if (!r.cleaned) {
      // Kill, then let the event loop reap the processes before their folder is removed.
      killGroups(r.pgids);
      const until = Date.now() + 5000;
      while (r.pgids.some(groupAlive) && Date.now() < until) await sleep(10);
    }
    cleanupSync(r);
    uninstallHandlers();
  })();
  return r.stopping;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A shell in its own process group that waits for EOF on its stdin (a pipe from us): it sees EOF
 * only when this process dies, and then kills every process group listed in `pids` and removes the
 * temp folder. A normal stop dismisses it last (cleanupSync).
 */
function startWatchdog(r: Running): void {
  const script =
    'read _ignored; for p in $(cat "$1/pids" 2>/dev/null); do kill -9 "-$p" 2>/dev/null; done; rm -rf "$1"';
  const child = spawn('/bin/sh', ['-c', script, 'kfed-watchdog', r.tmp], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  r.watchdog = child;
}

// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** A free TCP port on 127.0.0.1 (the kernel picks; a small race with other programs remains). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed to make the test certificates: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A CA, one serving cert for 127.0.0.1/localhost, an admin client cert and the SA key pair. */
function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=kubefed-tools-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], dir);
  writeFileSync(
    join(dir, 'serving.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:::1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n',
  );
  writeFileSync(
    join(dir, 'client.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  for (const [name, subj] of [
    ['serving', '/CN=kube-apiserver'],
    ['client', '/O=system:masters/CN=kubefed-admin'],
  ] as const) {
    openssl(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  }
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

interface Creds {
  ca: string;
  cert: string;
  key: string;
}

function httpsCall(
  creds: Creds,
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca: creds.ca,
        cert: creds.cert,
        key: creds.key,
        servername: 'localhost',
        headers: {
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(what: string, deadline: number, check: () => Promise<boolean>, onFail: () => string): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      if (err instanceof Fatal) throw new Error(`${what} failed: ${err.message}\n${onFail()}`);
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${what} was not ready in time${last ? ` (${last})` : ''}\n${onFail()}`);
}

interface Server {
  child: ChildProcess;
  /** Set when the process exited (e.g. its port was taken): readiness checks then fail at once. */
  exited?: string;
}

function spawnServer(r: Running, bin: string, args: string[], logFile: string): Server {
  if (r.stopped) throw new Error('the local federation was stopped while it was starting');
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${bin}`);
  r.pgids.push(child.pid);
  appendFileSync(join(r.tmp, 'pids'), `${child.pid}\n`);
  child.unref();
  const server: Server = { child };
  child.on('exit', (code, signal) => (server.exited = signal ? `killed by ${signal}` : `exited with ${code}`));
  child.on('error', (err) => (server.exited = err.message));
  return server;
}

/** Throws (ending waitFor) when the process being waited for has died. */
function alive(server: Server, what: string): void {
  if (server.exited) throw new Fatal(`${what} ${server.exited}`);
}

class Fatal extends Error {}

function clusterNames(opt: FederationOptions['clusters']): string[] {
  if (Array.isArray(opt)) {
    if (opt.length === 0) throw new Error('startFederation: clusters must not be empty');
    if (new Set(opt).size !== opt.length) throw new Error('startFederation: duplicate cluster names');
    for (const n of opt) {
      if (!/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(n)) throw new Error(`startFederation: bad cluster name "${n}"`);
    }
    return opt;
  }
  const n = opt ?? 3;
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`startFederation: clusters must be 1..20, not ${n}`);
  return Array.from({ length: n }, (_, i) => `cluster${i + 1}`);
}

export async function startFederation(options: FederationOptions = {}): Promise<Federation> {
  const log = options.log ?? (() => {});
  const names = clusterNames(options.clusters);
  const hostCluster = options.hostCluster ?? names[0]!;
  if (!names.includes(hostCluster)) throw new Error(`startFederation: host cluster "${hostCluster}" is not one of ${names.join(', ')}`);
  const labels = options.labels ?? DEFAULT_LABELS;
  const readyTimeout = options.readyTimeoutMs ?? 120_000;

  let bins = binaryPaths();
  if (!bins.present) {
    if (options.build === false) {
      throw new Error(
        `kube-apiserver and etcd are not built (expected in ${bins.dir}); run \`node test/clusters/build.mjs\` (needs \`go\`)`,
      );
    }
    log(`binaries missing in ${bins.dir}; building them (needs go)`);
    bins = await ensureBinaries(log);
  }

  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'kfed-clusters-'));
  const r: Running = { tmp, pgids: [] };
  live.add(r);
  installHandlers();
  writeFileSync(join(tmp, 'pids'), '');
  startWatchdog(r);
  log(`folder ${tmp} (logs, certificates, etcd data; removed on stop)`);

  try {
    makeCertificates(tmp);
    const creds: Creds = {
      ca: readFileSync(join(tmp, 'ca.crt'), 'utf8'),
      cert: readFileSync(join(tmp, 'client.crt'), 'utf8'),
      key: readFileSync(join(tmp, 'client.key'), 'utf8'),
    };

    // --- etcd -----------------------------------------------------------------------------
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const etcdLog = join(tmp, 'etcd.log');
    const etcd = spawnServer(
      r,
      bins.etcd,
      [
        '--name=kfed',
        `--data-dir=${join(tmp, 'etcd-data')}`,
        `--listen-client-urls=http://127.0.0.1:${clientPort}`,
        `--advertise-client-urls=http://127.0.0.1:${clientPort}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=kfed=http://127.0.0.1:${peerPort}`,
        '--unsafe-no-fsync',
        '--quota-backend-bytes=4294967296',
        '--log-level=warn',
      ],
      etcdLog,
    );
    await waitFor(
      'etcd',
      Date.now() + readyTimeout,
      async () => {
        alive(etcd, 'etcd');
        const res = await httpGet(clientPort, '/health');
        return res.status === 200 && /"health":\s*"true"/.test(res.body);
      },
      () => tail(etcdLog),
    );
    log(`etcd ${bins.etcdVersion} ready on 127.0.0.1:${clientPort} (${Date.now() - started} ms)`);

    // --- apiservers -------------------------------------------------------------------------
    const clusters: LaunchedCluster[] = [];
    const servers = new Map<string, Server>();
    const serverArgs = new Map<string, string[]>();
    for (const [i, name] of names.entries()) {
      const port = await freePort();
      clusters.push({
        name,
        context: name,
        server: `https://127.0.0.1:${port}`,
        port,
        host: name === hostCluster,
        labels: { ...(labels[name] ?? {}) },
      });
      const logFile = join(tmp, `${name}.log`);
      const args = [
        `--etcd-servers=http://127.0.0.1:${clientPort}`,
        `--etcd-prefix=/${name}`,
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--cert-dir=${join(tmp, `${name}-certs`)}`,
        `--tls-cert-file=${join(tmp, 'serving.crt')}`,
        `--tls-private-key-file=${join(tmp, 'serving.key')}`,
        `--client-ca-file=${join(tmp, 'ca.crt')}`,
        `--service-cluster-ip-range=10.${96 + i}.0.0/16`,
        `--service-account-issuer=https://${name}.kubefed-tools.local`,
        `--service-account-key-file=${join(tmp, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(tmp, 'sa.key')}`,
        '--authorization-mode=RBAC',
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
        '--v=1',
      ];
      serverArgs.set(name, args);
      servers.set(name, spawnServer(r, bins.kubeApiserver, args, logFile));
    }
    const deadline = Date.now() + readyTimeout;
    await Promise.all(
      clusters.map(async (c) => {
        await waitFor(
          `kube-apiserver ${c.name}`,
          deadline,
          async () => {
            alive(servers.get(c.name)!, `kube-apiserver ${c.name}`);
            return (await httpsCall(creds, c.port, 'GET', '/readyz')).status === 200;
          },
          () => tail(join(tmp, `${c.name}.log`)),
        );
        log(`${c.name} ready at ${c.server} (${Date.now() - started} ms)`);
      }),
    );

    const version = (await httpsCall(creds, clusters[0]!.port, 'GET', '/version')).json<{ gitVersion: string }>().gitVersion;
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const request = async (cluster: string, method: string, path: string, body?: unknown): Promise<HttpResult> => {
      const c = byName.get(cluster);
      if (!c) throw new Error(`no cluster "${cluster}"`);
      return httpsCall(creds, c.port, method, path, body);
    };

    // --- kubeconfig -------------------------------------------------------------------------
    const kubeconfigPath = options.kubeconfigPath ?? join(tmp, 'kubeconfig');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      'current-context': hostCluster,
      clusters: clusters.map((c) => ({
        name: c.name,
        cluster: { server: c.server, 'certificate-authority-data': b64(creds.ca) },
      })),
      users: clusters.map((c) => ({
        name: `${c.name}-admin`,
        user: { 'client-certificate-data': b64(creds.cert), 'client-key-data': b64(creds.key) },
      })),
      contexts: clusters.map((c) => ({
        name: c.context,
        context: { cluster: c.name, user: `${c.name}-admin`, namespace: 'default' },
      })),
    };
    writeFileSync(kubeconfigPath, stringify(kubeconfig), { mode: 0o600 });

    let controller: Federation['controller'];
    let controllerServer: Server | undefined;
    const binary = options.kubefedController ? ensureKubefedBinary() : undefined;
    if (options.kubefed !== false || options.kubefedController) {
      const manifests = binary ? kubefedManifests(binary) : undefined;
      await installKubeFed(request, clusters, hostCluster, creds.ca, deadline, manifests);
      log(`KubeFed CRDs installed in ${hostCluster}; ${clusters.length} clusters joined (${Date.now() - started} ms)`);
      if (binary) {
        ({ controller, server: controllerServer } = await startController(r, binary, kubeconfigPath, request, hostCluster, clusters, deadline));
        log(`KubeFed controller-manager ${controller.version} running, every cluster Ready (${Date.now() - started} ms); log ${controller.log}`);
      }
    }

    const fed: Federation = {
      kubeconfigPath,
      folder: tmp,
      contexts: clusters.map((c) => c.context),
      clusters,
      hostCluster,
      kubefedNamespace: KUBEFED_NAMESPACE,
      version,
      credentials: creds,
      request,
      controller,
      stopKubefedController: async () => {
        const old = controllerServer;
        if (!old) throw new Error('KubeFed\'s controller-manager is not running (start the federation with kubefedController)');
        if (!old.exited && old.child.pid) {
          process.kill(-old.child.pid, 'SIGKILL');
          // (the child is unref'd: poll, so that the wait itself keeps the event loop alive)
          const until = Date.now() + 10_000;
          while (!old.exited && Date.now() < until) await sleep(20);
        }
        if (old.child.pid) r.pgids.splice(r.pgids.indexOf(old.child.pid) >>> 0, 1);
        controllerServer = undefined;
        fed.controller = undefined;
      },
      startKubefedController: async () => {
        if (!binary) throw new Error('the federation was started without kubefedController');
        if (controllerServer) throw new Error('KubeFed\'s controller-manager already runs');
        const started = await startController(r, binary, kubeconfigPath, request, hostCluster, clusters, Date.now() + readyTimeout);
        controllerServer = started.server;
        fed.controller = started.controller;
      },
      memory: () => memoryOf(r.pgids, ['etcd', ...names, ...(controller ? ['controller-manager'] : [])]),
      restart: async (cluster) => {
        const c = byName.get(cluster);
        const old = servers.get(cluster);
        if (!c || !old) throw new Error(`no cluster "${cluster}"`);
        if (!old.exited && old.child.pid) {
          const gone = new Promise<void>((resolve) => old.child.once('exit', () => resolve()));
          process.kill(-old.child.pid, 'SIGKILL');
          await gone;
        }
        if (old.child.pid) r.pgids.splice(r.pgids.indexOf(old.child.pid) >>> 0, 1);
        const server = spawnServer(r, bins.kubeApiserver, serverArgs.get(cluster)!, join(tmp, `${cluster}.log`));
        servers.set(cluster, server);
        await waitFor(
          `kube-apiserver ${cluster} (restarted)`,
          Date.now() + readyTimeout,
          async () => {
            alive(server, `kube-apiserver ${cluster}`);
            return (await httpsCall(creds, c.port, 'GET', '/readyz')).status === 200;
          },
          () => tail(join(tmp, `${cluster}.log`)),
        );
      },
      stop: async () => {
        await stopRunning(r);
        if (options.kubeconfigPath) rmSync(options.kubeconfigPath, { force: true });
      },
    };
    return fed;
  } catch (err) {
    await stopRunning(r);
    throw err;
  }
}

function memoryOf(pids: number[], names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  pids.forEach((pid, i) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+)/.exec(status);
      if (kb) out[names[i] ?? String(pid)] = Number(kb[1]) * 1024;
    } catch {
      /* not Linux or gone */
    }
  });
  return out;
}

type Req = (cluster: string, method: string, path: string, body?: unknown) => Promise<HttpResult>;

async function must(req: Req, cluster: string, method: string, path: string, body?: unknown, okConflict = false): Promise<any> {
  const res = await req(cluster, method, path, body);
  if (res.status >= 200 && res.status < 300) return res.json();
  if (okConflict && res.status === 409) return undefined;
  throw new Error(`${cluster}: ${method} ${path} -> ${res.status}: ${res.body.slice(0, 500)}`);
}

/**
 * CRDs, namespace, KubeFedConfig, FederatedTypeConfigs, then a `kubefedctl join` per member.
 * With KubeFed's own manifests, its CRDs and FederatedTypeConfigs replace the ones of crds.ts.
 */
async function installKubeFed(
  req: Req,
  clusters: LaunchedCluster[],
  host: string,
  ca: string,
  deadline: number,
  manifests?: { crds: Record<string, any>[]; typeConfigs: Record<string, any>[] },
): Promise<void> {
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const crds: { metadata: { name: string } }[] = (manifests?.crds as { metadata: { name: string } }[]) ?? kubefedCrds;
  await Promise.all(crds.map((c) => must(req, host, 'POST', crdPath, c)));
  await Promise.all(
    crds.map((c) =>
      waitFor(
        `CRD ${c.metadata.name}`,
        deadline,
        async () => {
          const crd = await must(req, host, 'GET', `${crdPath}/${c.metadata.name}`);
          const conds: { type: string; status: string }[] = crd.status?.conditions ?? [];
          return conds.some((x) => x.type === 'Established' && x.status === 'True');
        },
        () => '',
      ),
    ),
  );
  const ns = KUBEFED_NAMESPACE;
  const nsBody = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
  await Promise.all(clusters.map((c) => must(req, c.name, 'POST', '/api/v1/namespaces', nsBody, true)));

  const core = `/apis/core.kubefed.io/v1beta1/namespaces/${ns}`;
  await must(req, host, 'POST', `${core}/kubefedconfigs`, kubeFedConfig(ns));
  const typeConfigs = manifests
    ? manifests.typeConfigs.map((t) => ({ ...t, metadata: { ...t.metadata, namespace: ns } }))
    : federatedTypes.map((t) => federatedTypeConfig(t, ns));
  await Promise.all(typeConfigs.map((t) => must(req, host, 'POST', `${core}/federatedtypeconfigs`, t)));

  const hostInfo = clusters.find((c) => c.name === host)!;
  await Promise.all(
    clusters.map(async (member) => {
      // In the member: a service account with full rights, as `kubefedctl join` creates.
      const sa = `${member.name}-${hostInfo.name}`;
      const role = `kubefed-controller-manager:${sa}`;
      await must(req, member.name, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace: ns },
      });
      await must(req, member.name, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: role },
        rules: [
          { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['/healthz'], verbs: ['get'] },
        ],
      });
      await must(req, member.name, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: role },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      });
      const token = await must(req, member.name, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 7 * 24 * 3600 },
      });
      // In the host: the token secret and the KubeFedCluster.
      const secretName = `${member.name}-secret`;
      await must(req, host, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace: ns },
        type: 'Opaque',
        stringData: { token: token.status.token, 'ca.crt': ca },
      });
      await must(req, host, 'POST', `${core}/kubefedclusters`, {
        apiVersion: 'core.kubefed.io/v1beta1',
        kind: 'KubeFedCluster',
        metadata: { name: member.name, namespace: ns, labels: member.labels },
        spec: {
          apiEndpoint: member.server,
          caBundle: Buffer.from(ca).toString('base64'),
          secretRef: { name: secretName },
        },
      });
    }),
  );
}

/**
 * KubeFed's controller-manager against the host, out of cluster, in the federation's process
 * bookkeeping (stopped and watched like the servers). Resolves once /healthz answers and every
 * KubeFedCluster has condition Ready=True.
 */
async function startController(
  r: Running,
  bin: KubefedBinary,
  kubeconfig: string,
  req: Req,
  host: string,
  clusters: LaunchedCluster[],
  deadline: number,
): Promise<{ controller: NonNullable<Federation['controller']>; server: Server }> {
  const [healthPort, metricsPort] = [await freePort(), await freePort()];
  const logFile = join(r.tmp, 'kubefed-controller-manager.log');
  const server = spawnServer(
    r,
    bin.controllerManager,
    [
      `--kubeconfig=${kubeconfig}`,
      `--kubefed-namespace=${KUBEFED_NAMESPACE}`,
      `--healthz-addr=127.0.0.1:${healthPort}`,
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      '-v=2',
    ],
    logFile,
  );
  await waitFor(
    'KubeFed controller-manager /healthz',
    deadline,
    async () => {
      alive(server, 'KubeFed controller-manager');
      return (await httpGet(healthPort, '/healthz')).status === 200;
    },
    () => tail(logFile),
  );
  const path = `/apis/core.kubefed.io/v1beta1/namespaces/${KUBEFED_NAMESPACE}/kubefedclusters`;
  await waitFor(
    'KubeFedClusters Ready',
    deadline,
    async () => {
      alive(server, 'KubeFed controller-manager');
      const list = await must(req, host, 'GET', path);
      const ready = (list.items as any[]).filter((c) =>
        (c.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True'),
      );
      return ready.length === clusters.length;
    },
    () => tail(logFile),
  );
  return { controller: { version: bin.version, log: logFile, healthz: `http://127.0.0.1:${healthPort}/healthz` }, server };
}
