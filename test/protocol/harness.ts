/**
 * Protocol test harness: builds the bundle once (dist/server.js), spawns it over stdio and talks
 * to it with a real LSP client connection (vscode-jsonrpc + vscode-languageserver-protocol).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  ShutdownRequest,
  WorkspaceSymbolRequest,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type InitializeResult,
  type InlayHint,
  type Location,
  type Position,
  type Range,
  type SymbolInformation,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'lsp');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|json|mjs)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/server.js when it is missing or older than the sources (one build at a time). */
export function ensureBuilt(): void {
  const src = Math.max(newest(join(ROOT, 'server')), statSync(join(ROOT, 'esbuild.mjs')).mtimeMs);
  const fresh = () => existsSync(SERVER) && statSync(SERVER).mtimeMs >= src;
  if (fresh()) return;
  const lock = join(ROOT, '.cache', 'build.lock');
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (fresh()) return;
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, ['esbuild.mjs', 'server'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export interface StartOptions {
  /** Workspace folder (absolute path) to index. */
  folder?: string;
  initializationOptions?: Record<string, unknown>;
  /** Extra argv for the server (default --stdio). */
  args?: string[];
  /**
   * Client capabilities under `workspace` (merged over the defaults: no `workspace/configuration`,
   * no dynamic registration of watched files).
   */
  workspaceCapabilities?: Record<string, unknown>;
  /** Client capabilities under `window` (default: none, e.g. no `window/showDocument`). */
  windowCapabilities?: Record<string, unknown>;
  /** Wait for `kubefed/stats` (the index complete, every diagnostic published) before resolving (default true). */
  waitReady?: boolean;
}

export class Client {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publication, in the order received (`logs`: how many log messages came before it). */
  readonly publications: { uri: string; diagnostics: Diagnostic[]; logs: number }[] = [];
  /** Every request the server sent to the client (method and params), in order. */
  readonly serverRequests: { method: string; params: unknown }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private waiters: { uri: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  private versions = new Map<string, number>();
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** The server's answer to `initialize`. */
  initializeResult?: InitializeResult;

  constructor(readonly proc: ChildProcess, readonly conn: MessageConnection) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publications.push({ uri: p.uri, diagnostics: p.diagnostics, logs: this.logs.length });
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p.diagnostics)) {
          w.resolve(p.diagnostics);
          return false;
        }
        return true;
      });
    });
    conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      if (method === 'window/logMessage') this.logs.push(String((params as { message: string }).message));
    });
    // like Neovim and most clients: null for a section they know nothing about
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      this.serverRequests.push({ method: 'workspace/configuration', params: p });
      return p.items.map(() => null);
    });
    conn.onRequest('client/registerCapability', (p: unknown) => {
      this.serverRequests.push({ method: 'client/registerCapability', params: p });
      return null;
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
  }

  /** Resolves with the next diagnostics of `uri` that satisfy `pred` (or the current ones if they do). */
  waitDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 15000): Promise<Diagnostic[]> {
    const cur = this.diagnostics.get(uri);
    if (cur && pred(cur)) return Promise.resolve(cur);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri)?.map((d) => d.code))}\n${this.stderr.join('')}`)), timeoutMs);
      this.waiters.push({
        uri,
        pred,
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
      });
    });
  }

  /** Resolves with the next publication for `uri`, whatever it contains. */
  nextDiagnostics(uri: string, timeoutMs = 15000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        uri,
        pred: () => true,
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
      });
    });
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): void {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: changes });
  }

  replace(uri: string, text: string): void {
    this.change(uri, [{ text }]);
  }

  close(uri: string): void {
    void this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  completion(uri: string, position: Position): Promise<CompletionItem[]> {
    return this.conn
      .sendRequest(CompletionRequest.type, { textDocument: { uri }, position })
      .then((r) => (Array.isArray(r) ? r : ((r as CompletionList | null)?.items ?? [])));
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  codeLens(uri: string): Promise<CodeLens[]> {
    return this.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }).then((r) => r ?? []);
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.conn
      .sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } })
      .then((r) => (r ?? []).filter((a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string')));
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[]> {
    return this.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range }).then((r) => r ?? []);
  }

  definition(uri: string, position: Position): Promise<Location[]> {
    return this.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }).then((r) => {
      if (!r) return [];
      const list = Array.isArray(r) ? r : [r];
      return list.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
    });
  }

  references(uri: string, position: Position, includeDeclaration = true): Promise<Location[]> {
    return this.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } }).then((r) => r ?? []);
  }

  documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    return this.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }).then((r) => (r ?? []) as DocumentSymbol[]);
  }

  workspaceSymbols(query: string): Promise<SymbolInformation[]> {
    return this.conn.sendRequest(WorkspaceSymbolRequest.type, { query }).then((r) => (r ?? []) as SymbolInformation[]);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

export async function startServer(opts: StartOptions = {}): Promise<Client> {
  ensureBuilt();
  const proc = spawn(process.execPath, [SERVER, ...(opts.args ?? ['--stdio'])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const client = new Client(proc, conn);
  proc.stderr!.on('data', (d) => client.stderr.push(String(d)));
  conn.listen();
  const folder = opts.folder ? [{ uri: uriOf(opts.folder), name: 'ws' }] : null;
  client.initializeResult = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folder ? folder[0].uri : null,
    workspaceFolders: folder,
    capabilities: {
      workspace: { configuration: false, didChangeWatchedFiles: { dynamicRegistration: false }, workspaceFolders: true, ...(opts.workspaceCapabilities ?? {}) },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { relatedInformation: true },
      },
      ...(opts.windowCapabilities ? { window: opts.windowCapabilities } : {}),
    },
    initializationOptions: { kubeconfig: false, ...(opts.initializationOptions ?? {}) },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  // the workspace index is complete and every diagnostic published
  if (opts.waitReady !== false) await client.request('kubefed/stats', {});
  return client;
}

/** Position of the `n`-th occurrence of `needle` in `text` (offset `delta` characters into it). */
export function positionOf(text: string, needle: string, delta = 0, n = 0): Position {
  let idx = -1;
  for (let i = 0; i <= n; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`"${needle}" not found`);
  }
  const at = idx + delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return (c as { value: string }).value;
}
