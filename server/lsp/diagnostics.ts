/**
 * Diagnostics: the engine's federation checks (every file of the workspace) plus schema
 * validation by yaml-language-server (open documents), plus unknown Kubernetes kinds.
 *
 * Scheduling: a change is applied to the engine at once; publishing runs on the next turn of the
 * event loop, the changed documents first. Schema validation only runs for documents whose text
 * or schema changed, in chunks of at most ~20 ms with a yield in between, and is abandoned as
 * soon as a newer change arrives.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { EngineDiagnostic } from '../engine/index.ts';
import { boundMessage, isObject } from '../engine/index.ts';
import type { ParsedDoc, ParsedFile } from '../engine/index.ts';
import { sliceOf, type ServerContext } from './context.ts';
import { yieldToLoop } from './scheduler.ts';
import { sliceToFile } from './yamlService.ts';

const SOURCE = 'kubefed';
const CHUNK_MS = 12;
const ANALYSIS_DELAY_MS = 25;

export function toLspDiagnostic(d: EngineDiagnostic): Diagnostic {
  const out: Diagnostic = {
    range: d.range,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.code,
    source: SOURCE,
    message: d.message,
  };
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => ({ location: r.location, message: r.message }));
  }
  out.data = { code: d.code, ...(d.data ?? {}) };
  return out;
}

/** Documents whose kind is not a kind of its (known) group: `apps/v1 Deploymnet`. */
export function kindDiagnostics(ctx: ServerContext, file: ParsedFile, doc: ParsedDoc): Diagnostic[] {
  const v = doc.value;
  if (isObject(v) && v.apiVersion === undefined && typeof v.kind === 'string') return missingApiVersion(ctx, file, doc, v.kind);
  if (!isObject(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return [];
  const apiVersion = v.apiVersion;
  const kind = v.kind;
  // The engine reports unknown federated kinds (unknown-federated-kind).
  if (ctx.schemas.engineReportsKind(apiVersion, kind)) return [];
  const c = ctx.schemas.categorize(apiVersion, kind);
  if (!c || c.type !== 'unknown-kind') return [];
  const r = doc.offsetsOf(['kind']);
  if (!r) return [];
  const suggestions = ctx.schemas.suggestKinds(apiVersion, kind);
  const hint = suggestions.length
    ? ` Did you mean ${suggestions.map((s) => (s.apiVersion === apiVersion ? s.kind : `${s.kind} (${s.apiVersion})`)).join(', ')}?`
    : '';
  return [
    {
      range: file.range(r[0], r[1]),
      severity: DiagnosticSeverity.Error,
      code: 'unknown-kind',
      source: SOURCE,
      message: `Unknown kind "${kind}" for apiVersion ${apiVersion}.${hint}`,
      data: { code: 'unknown-kind', suggestions },
    },
  ];
}

/** A known kind without apiVersion: no schema applies, and KubeFed/kubectl would reject it. */
function missingApiVersion(ctx: ServerContext, file: ParsedFile, doc: ParsedDoc, kind: string): Diagnostic[] {
  const r = doc.keyOffsetsOf(['kind']);
  if (!r) return [];
  const candidates: { apiVersion: string; kind: string }[] = [];
  for (const f of ctx.schemas.federatedKinds()) if (f.kind === kind) candidates.push({ apiVersion: f.apiVersion, kind });
  for (const k of ctx.schemas.kubefedKinds()) if (k.kind === kind) candidates.push(k);
  for (const k of ctx.schemas.v1alpha1Kinds()) if (k.kind === kind) candidates.push({ apiVersion: k.apiVersion, kind });
  for (const k of ctx.schemas.k8sKinds()) if (k.kind === kind) candidates.push({ apiVersion: k.apiVersion, kind });
  if (!candidates.length) return [];
  return [
    {
      range: file.range(r[0], r[1]),
      severity: DiagnosticSeverity.Error,
      code: 'missing-apiversion',
      source: SOURCE,
      message: `apiVersion is missing (${kind} is ${candidates.map((c) => c.apiVersion).join(' or ')}).`,
      data: { code: 'missing-apiversion', suggestions: candidates },
    },
  ];
}

interface FileState {
  /** Schema diagnostics per document (file coordinates), from the last complete pass. */
  yaml: Diagnostic[];
  published?: string;
  /** Engine diagnostics of the last full publication, and the file they were computed on. */
  engine?: Diagnostic[];
  file?: ParsedFile;
  /** Positions where every cluster a template is placed on accepts what the pinned schemas reject. */
  accepted?: Set<string>;
}

const positionKey = (p: { line: number; character: number }) => `${p.line}:${p.character}`;

/** Schema diagnostics without those at places the member clusters accept (a field newer than the pinned version). */
function withoutAccepted(yaml: Diagnostic[], accepted: Set<string> | undefined): Diagnostic[] {
  return accepted?.size ? yaml.filter((d) => d.code !== 'schema' || !accepted.has(positionKey(d.range.start))) : yaml;
}

/**
 * Moves diagnostics computed on `oldF` to `newF`: each follows its `---` document (matched by
 * text); diagnostics of an edited document stay where they were if that document did not move.
 */
export function shiftDiagnostics(oldF: ParsedFile, newF: ParsedFile, diags: Diagnostic[]): Diagnostic[] {
  if (oldF === newF || !diags.length) return diags;
  const byText = new Map<string, number[]>();
  newF.docs.forEach((d) => {
    const l = byText.get(d.text);
    const line = newF.lines.position(d.start).line;
    if (l) l.push(line);
    else byText.set(d.text, [line]);
  });
  const oldStarts = oldF.docs.map((d) => oldF.lines.position(d.start).line);
  const newStartOf = oldF.docs.map((d) => byText.get(d.text)?.shift());
  const sameIndexStart = oldF.docs.map((_, i) => (newF.docs[i] ? newF.lines.position(newF.docs[i].start).line : undefined));
  const out: Diagnostic[] = [];
  for (const d of diags) {
    let lo = 0;
    let hi = oldStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (oldStarts[mid] <= d.range.start.line) lo = mid;
      else hi = mid - 1;
    }
    const to = newStartOf[lo] ?? (sameIndexStart[lo] === oldStarts[lo] ? oldStarts[lo] : undefined);
    if (to === undefined) continue;
    const delta = to - oldStarts[lo];
    out.push(delta === 0 ? d : { ...d, range: { start: { line: d.range.start.line + delta, character: d.range.start.character }, end: { line: d.range.end.line + delta, character: d.range.end.character } } });
  }
  return out;
}

export class DiagnosticsPublisher {
  private readonly state = new Map<string, FileState>();
  /** Schema diagnostics by parsed document (unchanged documents are the same objects). */
  private byDoc = new WeakMap<ParsedDoc, { schemaId: string; diags: Diagnostic[] }>();
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private running = false;
  private generation = 0;
  /** Resolves when the current queue is fully published (tests, benchmarks). */
  private idleWaiters: (() => void)[] = [];
  private onAnalysis: (() => void)[] = [];

  /**
   * Federation diagnostics depend on the whole workspace and on the cluster inventory: until both
   * are complete (start) only what a document's text alone decides (YAML syntax) is published,
   * and while files are loading later (a folder added, a large file parsed in steps) publishing
   * waits for the load to end. What is published is true, never a guess from half a workspace.
   */
  private started = false;
  /** Changes that arrived while files were loading: published when the load ends. */
  private readonly deferred = new Set<string>();

  constructor(private readonly ctx: ServerContext) {
    ctx.docs.onLoaded(() => {
      if (!this.started || !this.deferred.size) return;
      const uris = [...this.deferred];
      this.deferred.clear();
      this.schedule(uris);
    });
  }

  /** The workspace index and the cluster inventory are complete: publish everything. */
  start(): void {
    this.started = true;
    this.schedule([...this.deferred, ...this.ctx.docs.openUris()]);
    this.deferred.clear();
  }

  /** Called after each engine analysis (inventory notifications, schema refresh). */
  afterAnalysis(cb: () => void): void {
    this.onAnalysis.push(cb);
  }

  /** Marks files as changed; publishing happens on the next turn of the event loop. */
  schedule(uris: string[]): void {
    for (const u of uris) this.dirty.add(u);
    this.generation++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.run());
    }
  }

  /** Re-validates every open document (schemas changed). */
  revalidateAll(): void {
    this.byDoc = new WeakMap();
    this.schedule(this.ctx.docs.openUris());
  }

  forget(uri: string): void {
    this.state.delete(uri);
  }

  whenIdle(): Promise<void> {
    if (!this.scheduled && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    if (this.running) {
      // the running pass sees the new generation and starts over
      return;
    }
    this.running = true;
    try {
      for (;;) {
        const gen = this.generation;
        const changed = [...this.dirty];
        this.dirty.clear();
        const done = await this.pass(changed, gen);
        if (done && this.dirty.size === 0 && gen === this.generation) break;
        if (!done) for (const u of changed) this.dirty.add(u);
      }
    } catch (e) {
      this.ctx.connection.console.error(`diagnostics failed: ${e instanceof Error ? e.stack : String(e)}`);
    } finally {
      this.running = false;
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }

  /** One publishing pass; false when abandoned for a newer change. */
  /** Durations of the last pass, for `kubefed/stats`. */
  lastPass = { analysisMs: 0, changedMs: 0, othersMs: 0 };
  /** Longest engine analysis since the last reset (kubefed/stats). */
  maxAnalysisMs = 0;

  /** Until the workspace is complete: open documents get their syntax diagnostics only. */
  private publishSyntax(changed: string[]): void {
    for (const uri of changed) {
      this.deferred.add(uri);
      if (!this.ctx.docs.isOpen(uri)) continue;
      const all = this.ctx.ws.syntaxDiagnostics(uri).map(toLspDiagnostic);
      const st = this.state.get(uri) ?? { yaml: [] };
      this.state.set(uri, st);
      const key = JSON.stringify(all);
      if (st.published === key) continue;
      st.published = key;
      void this.ctx.connection.sendDiagnostics({ uri, diagnostics: all, version: this.ctx.docs.get(uri)?.version });
    }
  }

  /** Whether what the engine sees is the complete workspace; if not, `changed` waits for it. */
  private complete(changed: string[]): boolean {
    if (!this.started) {
      this.publishSyntax(changed);
      return false;
    }
    if (!this.ctx.docs.loading()) return true;
    for (const uri of changed) this.deferred.add(uri);
    return false;
  }

  private async pass(changed: string[], gen: number): Promise<boolean> {
    const { ws, docs } = this.ctx;
    // Requests that arrived with the edit (completion while typing) go first.
    await yieldToLoop();
    if (gen !== this.generation) return false;
    if (!this.complete(changed)) return true;
    // 0. Changed open documents first, before the (workspace-wide) engine analysis: fresh schema
    //    diagnostics plus the previous engine diagnostics moved along with their documents.
    let fast = false;
    for (const uri of changed) {
      if (!docs.isOpen(uri) || !this.state.get(uri)?.file) continue;
      const full = await this.validateOpen(uri, gen, 30);
      if (full === undefined) return false;
      fast = this.publishFast(uri) || fast;
    }
    if (fast) {
      // A short quiet period before the workspace-wide analysis: requests that follow an edit
      // (completion while typing) are answered first, and a burst of keystrokes costs one analysis.
      await new Promise((r) => setTimeout(r, ANALYSIS_DELAY_MS));
      if (gen !== this.generation) return false;
    }
    // The engine's analysis in steps, other work (requests) in between; the longest step counts.
    let longest = 0;
    let t0 = performance.now();
    await ws.analysisInSteps(async () => {
      longest = Math.max(longest, performance.now() - t0);
      await yieldToLoop();
      t0 = performance.now();
    });
    if (gen !== this.generation) return false;
    // a load began during the analysis: it saw part of the files
    if (!this.complete(changed)) return true;
    for (const cb of this.onAnalysis) cb();
    longest = Math.max(longest, performance.now() - t0);
    this.lastPass.analysisMs = Math.round(longest * 10) / 10;
    this.maxAnalysisMs = Math.max(this.maxAnalysisMs, this.lastPass.analysisMs);
    await yieldToLoop();
    if (gen !== this.generation) return false;
    const t1 = performance.now();
    const open = new Set(docs.openUris());
    // 1. changed open documents: schema diagnostics of changed slices (usually one), publish.
    const pending: string[] = [];
    for (const uri of changed) {
      if (!open.has(uri)) continue;
      const full = await this.validateOpen(uri, gen, 40);
      if (full === undefined) return false;
      if (!full) pending.push(uri);
      this.publish(uri);
    }
    const t2 = performance.now();
    this.lastPass.changedMs = Math.round((t2 - t1) * 10) / 10;
    // 2. every other file: engine diagnostics may have changed anywhere (clusters, namespaces...).
    let t = Date.now();
    for (const uri of new Set([...ws.uris(), ...this.state.keys()])) {
      if (changed.includes(uri) && open.has(uri)) continue;
      this.publish(uri);
      if (Date.now() - t > CHUNK_MS) {
        await yieldToLoop();
        if (gen !== this.generation) return false;
        t = Date.now();
      }
    }
    this.lastPass.othersMs = Math.round((performance.now() - t2) * 10) / 10;
    // 3. documents whose schema validation did not finish in the first slot (large files).
    for (const uri of pending) {
      const full = await this.validateOpen(uri, gen, Infinity);
      if (full === undefined) return false;
      this.publish(uri);
    }
    return true;
  }

  /**
   * Schema-validates the slices of an open document. Cached slices cost nothing; `budgetMs`
   * bounds the time spent on new ones before the caller publishes what is known (true: complete).
   * Undefined when abandoned for a newer change.
   */
  private async validateOpen(uri: string, gen: number, budgetMs: number): Promise<boolean | undefined> {
    const file = this.ctx.ws.getFile(uri);
    const st = this.state.get(uri) ?? { yaml: [] };
    this.state.set(uri, st);
    if (!file) {
      st.yaml = [];
      return true;
    }
    const { yaml } = this.ctx;
    const out: Diagnostic[] = [];
    const start = Date.now();
    let chunk = Date.now();
    let complete = true;
    for (const doc of file.docs) {
      // Slicing and kind checks of thousands of documents add up: yield between chunks.
      if (Date.now() - chunk > CHUNK_MS) {
        await yieldToLoop();
        if (gen !== this.generation) return undefined;
        chunk = Date.now();
      }
      const slice = sliceOf(this.ctx, file, doc);
      for (const k of kindDiagnostics(this.ctx, file, doc)) out.push({ ...k, message: boundMessage(String(k.message)) });
      if (!slice.schemaId) continue;
      const known = this.byDoc.get(doc);
      let d = known && known.schemaId === slice.schemaId ? known.diags : yaml.cached(slice);
      if (!d) {
        if (Date.now() - start > budgetMs) {
          complete = false;
          continue;
        }
        d = await yaml.validate(slice);
        if (Date.now() - chunk > CHUNK_MS) {
          await yieldToLoop();
          if (gen !== this.generation) return undefined;
          chunk = Date.now();
        }
      }
      if (!known || known.diags !== d) this.byDoc.set(doc, { schemaId: slice.schemaId, diags: d });
      for (const x of d) {
        const severity = schemaSeverity(this.ctx.settings.schemaStrictness, x);
        if (severity !== undefined) out.push({ ...x, severity, range: sliceToFile(slice, x.range), message: boundMessage(String(x.message)) });
      }
    }
    if (!complete) {
      // keep the previous schema diagnostics of slices not validated yet (best effort)
      st.yaml = out;
      return false;
    }
    st.yaml = out;
    return true;
  }

  private publishFast(uri: string): boolean {
    const st = this.state.get(uri);
    const file = this.ctx.ws.getFile(uri);
    if (!st?.file || !st.engine || !file) return false;
    const all = [...shiftDiagnostics(st.file, file, st.engine), ...withoutAccepted(st.yaml, st.accepted)];
    all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const key = JSON.stringify(all);
    if (st.published === key) return false;
    st.published = key;
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: all, version: this.ctx.docs.get(uri)?.version });
    return true;
  }

  private publish(uri: string): void {
    const st = this.state.get(uri) ?? { yaml: [] };
    const strictness = this.ctx.settings.schemaStrictness;
    const engine = [...this.ctx.ws.diagnostics(uri), ...(this.ctx.host?.diagnostics(uri) ?? [])].map(toLspDiagnostic).flatMap((d) => clusterSchemaStrictness(strictness, d));
    st.engine = engine;
    st.file = this.ctx.ws.getFile(uri);
    const accepted = this.ctx.ws.analysis().clusterAccepted.get(uri);
    st.accepted = accepted ? new Set(accepted.map((r) => positionKey(r.start))) : undefined;
    // Files that are not open get federation diagnostics only: YAML syntax errors of unrelated
    // files (Helm templates, ...) would flood the problem list.
    const all = this.ctx.docs.isOpen(uri) ? [...engine, ...withoutAccepted(st.yaml, st.accepted)] : engine.filter((d) => d.code !== 'yaml-syntax');
    all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const key = JSON.stringify(all);
    if (st.published === key) return;
    if (st.published === undefined && all.length === 0 && !this.ctx.docs.isOpen(uri)) {
      st.published = key;
      this.state.set(uri, st);
      return;
    }
    st.published = key;
    this.state.set(uri, st);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: all, version: this.ctx.docs.get(uri)?.version });
  }

  /** Diagnostics as last published (for code actions that need the full list). */
  current(uri: string): Diagnostic[] {
    const st = this.state.get(uri);
    return st?.published ? (JSON.parse(st.published) as Diagnostic[]) : [];
  }

  /** When a file is deleted from the index, clear what was published for it. */
  cleared(uri: string): void {
    const st = this.state.get(uri);
    if (st?.published && st.published !== '[]') void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.state.delete(uri);
  }
}

/** The severity of a schema diagnostic under `kubefed.schemaStrictness`; undefined: not shown. */
export function schemaSeverity(strictness: 'strict' | 'normal' | 'off' | undefined, d: Diagnostic): DiagnosticSeverity | undefined {
  if (strictness === 'off') return undefined;
  if (strictness === 'strict') return DiagnosticSeverity.Error;
  return /^Property .+ is not allowed\.?$/.test(String(d.message)) ? DiagnosticSeverity.Warning : d.severity;
}

/** Per-cluster schema findings (`cluster-schema`) follow `kubefed.schemaStrictness` like the other schema diagnostics. */
export function clusterSchemaStrictness(strictness: 'strict' | 'normal' | 'off' | undefined, d: Diagnostic): Diagnostic[] {
  if (d.code !== 'cluster-schema') return [d];
  if (strictness === 'off') return [];
  return strictness === 'strict' ? [{ ...d, severity: DiagnosticSeverity.Error }] : [d];
}
