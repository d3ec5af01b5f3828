/**
 * The files the server knows: documents open in the editor (their text wins) and every YAML
 * file of the workspace folders (read from disk, kept current from file-change notifications).
 * Every change is handed to the engine's Workspace, which re-parses only changed documents.
 */
import { existsSync, promises as fs, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Workspace } from '../engine/index.ts';
import { yieldToLoop } from './scheduler.ts';

import { inSkippedFolder, isSkippedFolderName, isYamlName } from '../engine/loadRules.ts';
import { findYamlFiles, readYamlFile } from '../files/yamlFiles.ts';

export function isYamlUri(uri: string): boolean {
  return isYamlName(uri);
}

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

export type ChangeListener = (uris: string[]) => void;

export class DocumentManager {
  private readonly open = new Map<string, TextDocument>();
  /** Files read from disk (not open), by URI. */
  private readonly disk = new Set<string>();
  private folders: string[] = [];
  private readonly listeners: ChangeListener[] = [];

  constructor(readonly ws: Workspace) {}

  onChange(l: ChangeListener): void {
    this.listeners.push(l);
  }

  /** Folder indexing and stepped parses in progress: while any runs, the engine sees part of the files. */
  private loadingCount = 0;
  private readonly loadedListeners: (() => void)[] = [];

  /** Whether the engine's view of the files is incomplete (a folder being indexed, a large file half parsed). */
  loading(): boolean {
    return this.loadingCount > 0;
  }

  /** Called each time the last load in progress ends. */
  onLoaded(l: () => void): void {
    this.loadedListeners.push(l);
  }

  private async whileLoading<T>(work: () => Promise<T>): Promise<T> {
    this.loadingCount++;
    try {
      return await work();
    } finally {
      if (--this.loadingCount === 0) for (const l of this.loadedListeners) l();
    }
  }

  private emit(uris: string[]): void {
    if (uris.length) for (const l of this.listeners) l(uris);
  }

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  /** Every file of the workspace index (open or on disk). */
  allUris(): string[] {
    return this.ws.uris();
  }

  text(uri: string): string | undefined {
    return this.open.get(uri)?.getText() ?? this.ws.getFile(uri)?.text;
  }

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    const doc = TextDocument.create(uri, languageId, version, text);
    this.open.set(uri, doc);
    if (text.length <= FEED_SMALL || this.ws.getFile(uri)?.text === text) {
      this.ws.setFile(uri, text);
      this.emit([uri]);
      return;
    }
    // A large file the engine has not parsed yet (not in the workspace folders, or changed
    // since): parse it in steps, following edits that arrive meanwhile.
    const current = () => (this.open.get(uri) === doc ? doc.getText() : undefined);
    // (after a turn of the loop: decoding the message that carried the text took one already)
    const fed = this.track(this.whileLoading(() => yieldToLoop().then(() => this.feedInSteps(uri, current)))).then((done) => {
      if (this.feeding.get(uri) === fed) this.feeding.delete(uri);
      if (done) this.emit([uri]);
    });
    this.feeding.set(uri, fed);
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const doc = this.open.get(uri);
    if (!doc) return;
    TextDocument.update(doc, changes, version);
    if (this.feeding.has(uri)) return; // the running feed takes the new text
    this.ws.setFile(uri, doc.getText());
    this.emit([uri]);
  }

  /** Open documents still being parsed in steps (see feed). */
  private readonly feeding = new Map<string, Promise<void>>();

  /** Resolves when an open document being parsed in steps is complete; undefined when none is. */
  feedingOf(uri: string): Promise<void> | undefined {
    return this.feeding.get(uri);
  }

  didClose(uri: string): Promise<void> {
    return this.track(this.applyClose(uri));
  }

  private async applyClose(uri: string): Promise<void> {
    this.open.delete(uri);
    // Back to the disk version when the file belongs to the workspace, else forget it.
    const p = uriToPath(uri);
    if (p && this.folders.length && this.inIndex(p) && isYamlUri(uri)) {
      const r = await readText(p);
      if (this.open.has(uri)) return;
      if (r !== undefined) {
        this.disk.add(uri);
        this.ws.setFile(uri, r.text, { notUtf8At: r.notUtf8At });
      } else {
        this.ws.deleteFile(uri);
      }
    } else {
      this.ws.deleteFile(uri);
    }
    this.emit([uri]);
  }

  private inFolders(p: string): boolean {
    return this.folders.some((f) => p === f || p.startsWith(f.endsWith('/') ? f : f + '/'));
  }

  /**
   * Whether a file on disk is part of the index by the loader's rules: under a workspace folder
   * (any file when there is none), not inside a skipped folder (`node_modules`, `.git`, …).
   */
  private inIndex(p: string): boolean {
    if (!this.folders.length) return true;
    return this.folders.some((f) => {
      const base = f.endsWith('/') ? f : f + '/';
      return p.startsWith(base) && !inSkippedFolder(p.slice(base.length));
    });
  }

  folderPaths(): string[] {
    return [...this.folders];
  }

  addFolders(folderUris: string[]): string[] {
    const paths = folderUris.map(uriToPath).filter((p): p is string => !!p);
    this.folders.push(...paths.filter((p) => !this.folders.includes(p)));
    return paths;
  }

  /** Indexes every YAML file under the folders (yielding between files). */
  indexFolders(folderUris: string[], token?: { cancelled: boolean }): Promise<number> {
    return this.whileLoading(() => this.index(folderUris, token));
  }

  private async index(folderUris: string[], token?: { cancelled: boolean }): Promise<number> {
    const paths = this.addFolders(folderUris);
    const found: string[] = [];
    for (const p of paths) await findYamlFiles(p, token, found);
    const changed: string[] = [];
    let last = Date.now();
    for (const file of found) {
      if (token?.cancelled) break;
      const uri = pathToUri(file);
      if (this.open.has(uri)) continue;
      const r = await readText(file);
      if (r === undefined) continue;
      if (!(await this.fromDisk(uri, r))) continue;
      this.disk.add(uri);
      changed.push(uri);
      if (Date.now() - last > 20) {
        await this.warm();
        last = Date.now();
      }
    }
    this.emit(changed);
    return changed.length;
  }

  /** Hands a file read from disk to the engine unless it is open (false); see feed. */
  private fromDisk(uri: string, r: DiskText): Promise<boolean> {
    if (r.notUtf8At === undefined) return this.feed(uri, () => (this.open.has(uri) ? undefined : r.text));
    // not UTF-8: nothing to parse, the engine reports where it stops being UTF-8
    if (this.open.has(uri)) return Promise.resolve(false);
    this.ws.setFile(uri, r.text, { notUtf8At: r.notUtf8At });
    return Promise.resolve(true);
  }

  /**
   * Hands a file to the engine, a large one in growing prefixes cut at `---` lines with a yield
   * after each: the engine re-parses only new (or edited) documents, so no step blocks for long.
   * `current` gives the text to parse at each step (an open document may be edited meanwhile) or
   * undefined to abandon (false).
   */
  private feed(uri: string, current: () => string | undefined): Promise<boolean> {
    const text = current();
    // a small file is handed over at once (no loading state: nothing is ever half parsed)
    if (text === undefined || text.length <= FEED_SMALL) {
      if (text !== undefined) this.ws.setFile(uri, text);
      return Promise.resolve(text !== undefined);
    }
    return this.whileLoading(() => this.feedInSteps(uri, current));
  }

  private async feedInSteps(uri: string, current: () => string | undefined): Promise<boolean> {
    let end = 0;
    // Step size adapts to the machine (and to code not optimised yet on the first steps): about
    // STEP_MS of parsing per step.
    let chunk = FEED_FIRST_CHUNK;
    let unwarmedMs = 0;
    for (;;) {
      const text = current();
      if (text === undefined) return false;
      const cut = end === 0 && text.length <= FEED_SMALL ? -1 : text.indexOf('\n---', end + chunk);
      if (cut < 0) {
        this.ws.setFile(uri, text);
        return true;
      }
      const t = performance.now();
      this.ws.setFile(uri, text.slice(0, cut + 1));
      const ms = Math.max(1, performance.now() - t);
      chunk = Math.min(FEED_MAX_CHUNK, Math.max(FEED_FIRST_CHUNK, Math.round(((cut + 1 - end) * STEP_MS) / ms)));
      end = cut + 1;
      unwarmedMs += ms;
      if (unwarmedMs >= WARM_AFTER_MS) {
        await this.warm();
        unwarmedMs = 0;
      } else {
        await yieldToLoop();
      }
    }
  }

  /**
   * Between steps of a long load: runs the engine's analysis on what is parsed so far, in its own
   * turn of the event loop, so its per-object work (memoised on the parsed documents) is spread
   * over the load instead of landing in one block on the first diagnostics pass.
   */
  private async warm(): Promise<void> {
    await yieldToLoop();
    await this.ws.analysisInSteps(yieldToLoop);
    await yieldToLoop();
  }

  private watchers: FSWatcher[] = [];

  /**
   * For clients that cannot watch files for the server (no dynamic registration of
   * workspace/didChangeWatchedFiles): watch the folders with the operating system.
   */
  watchFolders(onChange: (uri: string, deleted: boolean) => void, onProblem: (message: string) => void = () => {}): void {
    this.onWatchProblem = onProblem;
    for (const folder of this.folders) this.watchFolder(folder, onChange);
  }

  private onWatchProblem: (message: string) => void = () => {};

  private watchFolder(folder: string, onChange: (uri: string, deleted: boolean) => void, attempt = 0, gapSince?: number): void {
    const timers = new Map<string, NodeJS.Timeout>();
    const changed = (file: string) => {
      clearTimeout(timers.get(file));
      timers.set(
        file,
        setTimeout(() => {
          timers.delete(file);
          onChange(pathToUri(file), !existsSync(file));
        }, 100),
      );
    };
    let w: FSWatcher;
    try {
      w = watch(folder, { recursive: true }, (_event, name) => {
        if (!name || inSkippedFolder(String(name))) return;
        const path = join(folder, String(name));
        if (isYamlName(String(name))) return changed(path);
        // A new folder: files written into it before its watch began send no event of their own.
        // It is searched now and once more a moment later, since a file written right after the
        // folder was made can land between this search and the start of the folder's watch.
        if (!isSkippedFolderName(basename(path))) {
          const search = () =>
            void fs.stat(path)
              .then((st) => (st.isDirectory() ? findYamlFiles(path) : []))
              .then((files) => files.forEach(changed), () => undefined);
          search();
          setTimeout(search, 500).unref();
        }
      });
    } catch (e) {
      // e.g. EMFILE/ENOSPC (the user's inotify instances or watches are used up): said, and tried
      // again with growing pauses, since other processes may free them
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') return; // rely on the client
      this.onWatchProblem(`cannot watch ${folder} for changes (${err.code ?? err.message}); files changed on disk are picked up once watching works${attempt ? '' : ' (retrying)'}`);
      const since = gapSince ?? Date.now();
      if (attempt < 8) setTimeout(() => !this.disposed && this.folders.includes(folder) && this.watchFolder(folder, onChange, attempt + 1, since), 500 * 2 ** attempt).unref();
      return;
    }
    this.watchers.push(w);
    if (gapSince !== undefined) void this.catchUp(folder, gapSince, changed);
    // A watch can fail (e.g. a subfolder removed while its watch was being added): it is
    // started again rather than left closed, which would miss every later change in silence.
    w.on('error', (e: NodeJS.ErrnoException) => {
      const since = Date.now();
      this.onWatchProblem(`watching ${folder} failed (${e.code ?? e.message}); watching again`);
      w.close();
      this.watchers = this.watchers.filter((x) => x !== w);
      setTimeout(() => {
        if (this.folders.includes(folder) && !this.disposed) this.watchFolder(folder, onChange, 0, since);
      }, 200).unref();
    });
  }

  private disposed = false;

  /**
   * After a gap in watching (a watch failed and was started again): what changed meanwhile —
   * files new to the index, files gone, files written since the gap began.
   */
  private async catchUp(folder: string, since: number, changed: (file: string) => void): Promise<void> {
    const found = await findYamlFiles(folder).catch(() => undefined);
    if (!found) return;
    const present = new Set(found);
    for (const file of found) {
      const known = this.disk.has(pathToUri(file));
      const st = known ? await fs.stat(file).catch(() => undefined) : undefined;
      if (!known || (st && st.mtimeMs >= since - 1000)) changed(file);
    }
    for (const uri of this.disk) {
      const p = uriToPath(uri);
      if (p && (p === folder || p.startsWith(folder.endsWith('/') ? folder : `${folder}/`)) && !present.has(p)) changed(p);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  removeFolders(folderUris: string[]): void {
    const paths = new Set(folderUris.map(uriToPath).filter((p): p is string => !!p));
    this.folders = this.folders.filter((f) => !paths.has(f));
    const removed: string[] = [];
    for (const uri of [...this.disk]) {
      const p = uriToPath(uri);
      if (p && !this.inFolders(p)) {
        this.disk.delete(uri);
        if (!this.open.has(uri)) {
          this.ws.deleteFile(uri);
          removed.push(uri);
        }
      }
    }
    this.emit(removed);
  }

  private pending = new Set<Promise<unknown>>();

  /** Tracks an asynchronous file operation until it is applied. */
  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Resolves when every file read in flight has been applied. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** A file changed on disk (workspace/didChangeWatchedFiles). */
  fileChanged(uri: string, deleted: boolean): Promise<void> {
    return this.track(this.applyFileChange(uri, deleted));
  }

  private async applyFileChange(uri: string, deleted: boolean): Promise<void> {
    if (!isYamlUri(uri) || this.open.has(uri)) return;
    const p = uriToPath(uri);
    if (!p) return;
    if (deleted) {
      this.disk.delete(uri);
      if (this.ws.getFile(uri)) {
        this.ws.deleteFile(uri);
        this.emit([uri]);
      }
      return;
    }
    if (!this.inIndex(p)) return;
    const r = await readText(p);
    if (r === undefined || this.open.has(uri)) return;
    if (!(await this.fromDisk(uri, r))) return;
    this.disk.add(uri);
    this.emit([uri]);
  }
}

/** A file's text; `notUtf8At`: where it stops being UTF-8. */
interface DiskText {
  text: string;
  notUtf8At?: number;
}

/** The text of a file by the loader's rules (undefined: unreadable or over the limit). */
async function readText(p: string): Promise<DiskText | undefined> {
  const r = await readYamlFile(p);
  return 'text' in r ? r : undefined;
}

/** Files up to this size are parsed in one go. */
const FEED_SMALL = 48 * 1024;
const FEED_FIRST_CHUNK = 4 * 1024;
const FEED_MAX_CHUNK = 256 * 1024;
/** Target duration of one parsing step of a large file (garbage collection may double it). */
const STEP_MS = 10;
/** Parsing time after which the engine's analysis is brought up to date during a long load. */
const WARM_AFTER_MS = 40;
