/**
 * Language-server benchmark: the bundled kubefed language server against plain
 * yaml-language-server on the same generated 2,000-document file, in the same run.
 *
 *   node --import tsx bench/lsp.ts [--docs 2000] [--quick] [--json out.json]
 *
 * Measures: open -> first diagnostics, edit of one document -> publishDiagnostics, completion and
 * hover latency (p50/p99), resident memory. Both servers get a schema for the federated kind;
 * plain yaml-language-server gets it through `yaml.schemas`, the kubefed server has its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { SchemaRegistry } from '../server/lsp/schemas.ts';
import { ensureBuilt, SERVER } from '../test/protocol/harness.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const YLS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

export interface LspBenchOptions {
  docs?: number;
  edits?: number;
  requests?: number;
  /** Requests/edits for plain yaml-language-server (slow: ~1.5 s each on 2,000 documents). */
  baselineEdits?: number;
  baselineRequests?: number;
  skipBaseline?: boolean;
  log?: (s: string) => void;
}

export interface ServerResult {
  server: string;
  openToDiagnosticsMs: number;
  editToDiagnosticsMs: { p50: number; p99: number; max: number; n: number };
  /** Until every diagnostic of the edit is published (the engine re-analysed the workspace). */
  editToCompleteMs?: { p50: number; p99: number; max: number; n: number };
  completionMs: { p50: number; p99: number; max: number; n: number; items: number };
  hoverMs: { p50: number; p99: number; max: number; n: number };
  /** Completion requested right after an edit (a new document version), as when typing. */
  completionAfterEditMs: { p50: number; p99: number; max: number; n: number };
  rssMB: number;
  /** Longest event-loop block (kubefed/stats) while indexing the folder, opening the file, editing. */
  eventLoopMaxBlockMs?: { indexing: number; opening: number; editing: number };
}

/** The same text opened as a document the server has not indexed (not on disk). */
export interface FreshOpenResult {
  openToDiagnosticsMs: number;
  /** Until every document is schema-validated and every diagnostic published. */
  settledMs: number;
  maxBlockMs: number;
}

export interface LspBenchResult {
  file: { documents: number; lines: number; bytes: number };
  results: ServerResult[];
  freshOpen?: FreshOpenResult;
}

/** One FederatedDeployment per document, ~45 lines, with placement and overrides. */
export function generateFile(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app-${i}
  namespace: bench
  labels:
    team: team-${i % 17}
spec:
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      replicas: 3
      selector:
        matchLabels:
          app: app-${i}
      template:
        metadata:
          labels:
            app: app-${i}
        spec:
          containers:
          - name: main
            image: example/app-${i}:1.0.${i % 10}
            ports:
            - containerPort: 8080
            resources:
              limits:
                cpu: 500m
                memory: 256Mi
  placement:
    clusters:
    - name: cluster1
    - name: cluster2
  overrides:
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/replicas
      value: ${(i % 5) + 1}
    - path: /spec/template/spec/containers/0/image
      value: example/app-${i}:1.1.0
`);
  }
  return docs.join('---\n');
}

const CLUSTERS = `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: cluster1
  labels: {region: east}
spec:
  apiEndpoint: https://cluster1.example.com
  secretRef: {name: c1}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: cluster2
  labels: {region: west}
spec:
  apiEndpoint: https://cluster2.example.com
  secretRef: {name: c2}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: bench
  namespace: bench
spec:
  placement:
    clusterSelector: {}
`;

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
}

function stats(xs: number[]) {
  return { p50: pct(xs, 50), p99: pct(xs, 99), max: Math.round(Math.max(...xs) * 10) / 10, n: xs.length };
}

function rssMB(pid: number | undefined): number {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(s);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

class Session {
  private waiters: { uri: string; resolve: (d: Diagnostic[]) => void }[] = [];
  constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    settings: Record<string, unknown> = {},
  ) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const w = this.waiters;
      this.waiters = [];
      for (const x of w) {
        if (x.uri === p.uri) x.resolve(p.diagnostics);
        else this.waiters.push(x);
      }
    });
    // yaml-language-server pulls its settings (section `yaml`) with workspace/configuration
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => settings[i.section ?? ''] ?? null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification(() => {});
  }

  nextDiagnostics(uri: string, timeoutMs = 120_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        uri,
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
      });
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 3000))]);
      void this.conn.sendNotification(ExitNotification.type);
    } catch {
      // gone
    }
    await new Promise((r) => setTimeout(r, 300));
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}

async function start(cmd: string[], folder: string, initializationOptions: unknown, settings: Record<string, unknown> = {}): Promise<Session> {
  const proc = spawn(process.execPath, ['--max-old-space-size=4096', ...cmd], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const s = new Session(proc, conn, settings);
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
    capabilities: {
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } },
      workspace: { configuration: true },
    },
    initializationOptions,
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return s;
}

/** Line numbers of `replicas: 3` (template) in every document. */
function replicaLines(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (l === '      replicas: 3') out.push(i);
  });
  return out;
}

async function measure(
  name: string,
  s: Session,
  uri: string,
  text: string,
  n: { edits: number; requests: number },
  afterOpen?: () => Promise<void>,
  extra?: () => Promise<Partial<ServerResult>>,
  settle?: () => Promise<unknown>,
  log: (s: string) => void = () => {},
): Promise<ServerResult> {
  const lines = replicaLines(text);
  let t = performance.now();
  const first = s.nextDiagnostics(uri);
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await first;
  const openMs = performance.now() - t;
  log(`${name}: open -> diagnostics ${openMs.toFixed(0)} ms`);
  if (afterOpen) await afterOpen();

  // Edits: toggle one document's replicas between 3 and "x" (a schema error), so the
  // diagnostics change on every edit and both servers must publish.
  const editMs: number[] = [];
  const completeMs: number[] = [];
  let version = 1;
  for (let i = 0; i < n.edits; i++) {
    const line = lines[Math.floor((i * 7919) % lines.length)];
    const bad = i % 2 === 0;
    const p = s.nextDiagnostics(uri);
    t = performance.now();
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: { line, character: 16 }, end: { line, character: 17 } }, text: bad ? '"x"' : '3' }],
    });
    await p;
    editMs.push(performance.now() - t);
    if (settle) {
      await settle();
      completeMs.push(performance.now() - t);
    }
    if (bad) {
      // undo: back to the valid text (measured as well)
      const q = s.nextDiagnostics(uri);
      t = performance.now();
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range: { start: { line, character: 16 }, end: { line, character: 19 } }, text: '3' }],
      });
      await q;
      editMs.push(performance.now() - t);
      if (settle) {
        await settle();
        completeMs.push(performance.now() - t);
      }
      i++;
    }
  }
  log(`${name}: edit -> diagnostics p50 ${pct(editMs, 50)} ms, p99 ${pct(editMs, 99)} ms (n=${editMs.length})`);
  if (completeMs.length) log(`${name}: edit -> all diagnostics final p50 ${pct(completeMs, 50)} ms, p99 ${pct(completeMs, 99)} ms`);

  const complMs: number[] = [];
  let items = 0;
  for (let i = 0; i < n.requests; i++) {
    const line = lines[Math.floor((i * 104729) % lines.length)] + 12; // `- name: main` line of the container
    const pos: Position = { line, character: 12 };
    t = performance.now();
    const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: pos });
    complMs.push(performance.now() - t);
    items += Array.isArray(r) ? r.length : (r?.items.length ?? 0);
  }
  log(`${name}: completion p50 ${pct(complMs, 50)} ms, p99 ${pct(complMs, 99)} ms (avg ${(items / Math.max(1, n.requests)).toFixed(0)} items)`);

  const hoverMs: number[] = [];
  for (let i = 0; i < n.requests; i++) {
    const line = lines[Math.floor((i * 15485863) % lines.length)];
    t = performance.now();
    await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 8 } });
    hoverMs.push(performance.now() - t);
  }
  log(`${name}: hover p50 ${pct(hoverMs, 50)} ms, p99 ${pct(hoverMs, 99)} ms`);

  // Typing: change a value, then ask for completion at once (new version, no waiting).
  const typedMs: number[] = [];
  for (let i = 0; i < n.edits; i++) {
    const line = lines[Math.floor((i * 7919 + 13) % lines.length)];
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: { line, character: 16 }, end: { line, character: 17 } }, text: String((i % 9) + 1) }],
    });
    t = performance.now();
    await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: line + 12, character: 12 } });
    typedMs.push(performance.now() - t);
  }
  log(`${name}: completion right after an edit p50 ${pct(typedMs, 50)} ms, p99 ${pct(typedMs, 99)} ms`);

  const more = extra ? await extra() : {};
  return {
    server: name,
    openToDiagnosticsMs: Math.round(openMs),
    editToDiagnosticsMs: stats(editMs),
    ...(completeMs.length ? { editToCompleteMs: stats(completeMs) } : {}),
    completionMs: { ...stats(complMs), items: Math.round(items / Math.max(1, n.requests)) },
    hoverMs: stats(hoverMs),
    completionAfterEditMs: stats(typedMs),
    rssMB: rssMB(s.proc.pid),
    ...more,
  };
}

/**
 * Opens the text as an untitled document in an empty folder: the server parses and analyses it
 * from scratch (in steps) while staying responsive.
 */
async function measureFreshOpen(text: string, log: (s: string) => void): Promise<FreshOpenResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kubefed-lsp-bench-empty-'));
  const s = await start([SERVER, '--stdio'], dir, { kubeconfig: false });
  try {
    await s.conn.sendRequest('kubefed/stats', { resetEventLoop: true });
    const uri = 'untitled:apps.yaml';
    const t = performance.now();
    const first = s.nextDiagnostics(uri);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await first;
    const openToDiagnosticsMs = Math.round(performance.now() - t);
    const st = (await s.conn.sendRequest('kubefed/stats', { resetEventLoop: true })) as { eventLoop?: { maxMs: number } };
    const r = { openToDiagnosticsMs, settledMs: Math.round(performance.now() - t), maxBlockMs: st.eventLoop?.maxMs ?? -1 };
    log(`kubefed-language-server, file not on disk: open -> diagnostics ${r.openToDiagnosticsMs} ms, settled ${r.settledMs} ms, longest event-loop block ${r.maxBlockMs} ms`);
    return r;
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLspBench(opts: LspBenchOptions = {}): Promise<LspBenchResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const nDocs = opts.docs ?? 2000;
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'kubefed-lsp-bench-'));
  try {
    const text = generateFile(nDocs);
    const file = join(dir, 'apps.yaml');
    writeFileSync(file, text);
    writeFileSync(join(dir, 'clusters.yaml'), CLUSTERS);
    const uri = pathToFileURL(file).href;
    log(`file: ${nDocs} documents, ${text.split('\n').length} lines, ${(text.length / 1024 / 1024).toFixed(1)} MB`);
    const results: ServerResult[] = [];

    const ours = await start([SERVER, '--stdio'], dir, { kubeconfig: false });
    // The server indexes the folder (the file is on disk) before it answers.
    const indexed = (await ours.conn.sendRequest('kubefed/stats', { resetEventLoop: true })) as { eventLoop?: { maxMs: number } };
    const blocks = { indexing: indexed.eventLoop?.maxMs ?? -1, opening: -1, editing: -1 };
    log(`kubefed-language-server: longest event-loop block while indexing the folder: ${blocks.indexing} ms`);
    results.push(
      await measure(
        'kubefed-language-server',
        ours,
        uri,
        text,
        { edits: opts.edits ?? 40, requests: opts.requests ?? 100 },
        async () => {
          const t = performance.now();
          const st = (await ours.conn.sendRequest('kubefed/stats', { resetEventLoop: true })) as { eventLoop?: { maxMs: number } };
          blocks.opening = st.eventLoop?.maxMs ?? -1;
          log(`kubefed-language-server: schema validation of all documents complete after ${(performance.now() - t).toFixed(0)} ms more (longest event-loop block while opening: ${blocks.opening} ms)`);
        },
        async () => {
          const st = (await ours.conn.sendRequest('kubefed/stats', {})) as { eventLoop?: { maxMs: number }; lastPass?: unknown };
          log(`kubefed-language-server: last diagnostics pass ${JSON.stringify(st.lastPass)}; while editing: ${JSON.stringify(st.eventLoop)}`);
          blocks.editing = st.eventLoop?.maxMs ?? -1;
          return { eventLoopMaxBlockMs: blocks };
        },
        () => ours.conn.sendRequest('kubefed/stats', {}),
        log,
      ),
    );
    await ours.stop();
    const freshOpen = await measureFreshOpen(text, log);

    if (!opts.skipBaseline) {
      const reg = new SchemaRegistry();
      const id = reg.schemaIdFor('types.kubefed.io/v1beta1', 'FederatedDeployment', {
        overridePaths: ['/spec/replicas', '/spec/template/spec/containers/0/image'],
      })!;
      const schemaFile = join(dir, 'schemas', 'federateddeployment.json');
      mkdirSync(dirname(schemaFile), { recursive: true });
      writeFileSync(schemaFile, reg.content(id)!);
      const yamlSettings = {
        validate: true,
        hover: true,
        completion: true,
        schemaStore: { enable: false },
        schemas: { [pathToFileURL(schemaFile).href]: ['apps.yaml'] },
      };
      const yls = await start([YLS, '--stdio'], dir, {}, { yaml: yamlSettings, http: {}, '[yaml]': {}, editor: {} });
      await yls.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { yaml: yamlSettings } });
      results.push(
        await measure(
          'yaml-language-server 2.0.0 (plain)',
          yls,
          uri,
          text,
          { edits: opts.baselineEdits ?? 10, requests: opts.baselineRequests ?? 15 },
          undefined,
          undefined,
          undefined,
          log,
        ),
      );
      await yls.stop();
    }
    return { file: { documents: nDocs, lines: text.split('\n').length, bytes: text.length }, results, freshOpen };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLspBench(r: LspBenchResult): string {
  const rows = [
    ['server', 'open→diag ms', 'edit→diag p50/p99 ms', 'edit→final p50/p99 ms', 'completion p50/p99 ms', 'completion after edit p50/p99', 'hover p50/p99 ms', 'RSS MB', 'max loop block ms (index / open / edit)'],
    ...r.results.map((x) => [
      x.server,
      String(x.openToDiagnosticsMs),
      `${x.editToDiagnosticsMs.p50} / ${x.editToDiagnosticsMs.p99}`,
      x.editToCompleteMs ? `${x.editToCompleteMs.p50} / ${x.editToCompleteMs.p99}` : 'same',
      `${x.completionMs.p50} / ${x.completionMs.p99}`,
      `${x.completionAfterEditMs.p50} / ${x.completionAfterEditMs.p99}`,
      `${x.hoverMs.p50} / ${x.hoverMs.p99}`,
      String(x.rssMB),
      x.eventLoopMaxBlockMs === undefined ? '-' : `${x.eventLoopMaxBlockMs.indexing} / ${x.eventLoopMaxBlockMs.opening} / ${x.eventLoopMaxBlockMs.editing}`,
    ]),
  ];
  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => '| ' + row.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [
    `Language server, ${r.file.documents} documents (${r.file.lines} lines, ${(r.file.bytes / 1024 / 1024).toFixed(1)} MB), targets: edit→diagnostics ≤ 100 ms, completion/hover p99 ≤ 50 ms`,
    line(rows[0]),
    '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|',
    ...rows.slice(1).map(line),
    ...(r.freshOpen
      ? [
          '',
          `Opening the same file when it is not on disk (nothing indexed): first diagnostics after ${r.freshOpen.openToDiagnosticsMs} ms, ` +
            `all documents validated after ${r.freshOpen.settledMs} ms, longest event-loop block ${r.freshOpen.maxBlockMs} ms (target ≤ 50 ms).`,
        ]
      : []),
  ].join('\n');
}

// Runs when executed directly (`npm run bench` calls runLspBench from bench/index.ts).
const entry = process.argv[1] ?? '';
if (entry === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const num = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const quick = args.includes('--quick');
  const r = await runLspBench({
    docs: num('--docs'),
    edits: quick ? 10 : undefined,
    requests: quick ? 20 : undefined,
    baselineEdits: quick ? 4 : undefined,
    baselineRequests: quick ? 5 : undefined,
    skipBaseline: args.includes('--no-baseline'),
  });
  console.log('\n' + formatLspBench(r) + '\n');
  const j = args.indexOf('--json');
  if (j >= 0) writeFileSync(args[j + 1], JSON.stringify(r, null, 2));
}
