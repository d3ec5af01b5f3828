/**
 * yaml-language-server embedded as a library, fed one YAML document at a time.
 *
 * yaml-language-server parses and validates the whole file on every request (a 2,000-document
 * file blocks for more than a second per keystroke). Here a file is cut into its `---`
 * documents (the engine's slices); each request gives yaml-language-server only the document
 * under the cursor, or — for validation — only documents whose text or schema changed since the
 * last run. The schema of a document is chosen by a modeline prepended to its text
 * (`# yaml-language-server: $schema=<id>`), so every position maps back by a fixed line delta.
 */
import { getLanguageService, type LanguageService } from 'yaml-language-server';
import { yamlDocumentsCache } from 'yaml-language-server/out/src/languageservice/parser/yaml-documents.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { SchemaRegistry } from './schemas.ts';
import { yieldToLoop } from './scheduler.ts';

/** One `---` document of a file, as given to yaml-language-server. */
export interface Slice {
  /** Text of the document (whole lines, including its `---` line). */
  text: string;
  /** File line of the first line of `text`. */
  startLine: number;
  /** Schema identifier, or undefined when the document has no known kind. */
  schemaId?: string;
}

const SLICE_URI = 'kubefed-slice:///document.yaml';
/** Lines added in front of a slice (the modeline). */
const HEADER_LINES = 1;
const CACHE_LIMIT = 20000;
/** Resolved schemas kept by yaml-language-server (one per kind, one per set of override paths). */
const SCHEMA_LIMIT = 48;

export class YamlService {
  readonly ls: LanguageService;
  private version = 1;
  /** Validation results per schema id and document text (slice-relative lines). */
  private cache = new Map<string, Diagnostic[]>();
  private previousCache = new Map<string, Diagnostic[]>();
  /** yaml-language-server failures: thrown, or swallowed into telemetry (exposed by kubefed/stats). */
  readonly errors: string[] = [];
  stats = { validated: 0, cached: 0 };

  constructor(private readonly schemas: SchemaRegistry) {
    this.ls = getLanguageService({
      schemaRequestService: async (uri: string) => {
        const c = this.schemas.content(uri);
        if (c === undefined) throw new Error(`unknown schema ${uri}`);
        return c;
      },
      workspaceContext: {
        resolveRelativePath: (relativePath: string, resource: string) => new URL(relativePath, resource).toString(),
      },
      telemetry: {
        send() {},
        sendError: (name: string, error: unknown) => {
          const msg = `${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
          if (this.errors.length < 50) this.errors.push(msg);
        },
        sendTrack() {},
      },
      clientCapabilities: {
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], labelDetailsSupport: true },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    this.ls.configure({
      validate: true,
      hover: true,
      completion: true,
      format: false,
      isKubernetes: false,
      hoverSchemaSource: false,
      customTags: [],
      yamlVersion: '1.2',
    });
  }

  /** Schema ids in use, least recently used first (yaml-language-server keeps every schema it resolved). */
  private readonly schemaUse = new Map<string, true>();

  private touch(id: string | undefined): void {
    if (!id) return;
    this.schemaUse.delete(id);
    this.schemaUse.set(id, true);
    while (this.schemaUse.size > SCHEMA_LIMIT) {
      const oldest = this.schemaUse.keys().next().value as string;
      this.schemaUse.delete(oldest);
      void this.ls.deleteSchema(oldest);
      this.schemas.forget(oldest);
    }
  }

  private doc(slice: Slice): TextDocument {
    this.touch(slice.schemaId);
    const header = slice.schemaId ? `# yaml-language-server: $schema=${slice.schemaId}\n` : '# yaml-language-server: $schema=none\n';
    return TextDocument.create(SLICE_URI, 'yaml', this.version++, header + slice.text);
  }

  private release(): void {
    // yaml-language-server keeps every parsed document forever, keyed by URI.
    (yamlDocumentsCache as unknown as { cache: Map<string, unknown> }).cache.delete(SLICE_URI);
  }

  /** Cached diagnostics of a slice, if this text and schema were validated before. */
  cached(slice: Slice): Diagnostic[] | undefined {
    if (!slice.schemaId) return [];
    const k = slice.schemaId + '\n' + slice.text;
    let d = this.cache.get(k);
    if (!d) {
      d = this.previousCache.get(k);
      if (d) this.cache.set(k, d);
    }
    if (d) this.stats.cached++;
    return d;
  }

  /** Schema diagnostics of a slice, in slice-relative lines (line 0 = first line of the slice). */
  async validate(slice: Slice): Promise<Diagnostic[]> {
    const hit = this.cached(slice);
    if (hit) return hit;
    const schemaId = slice.schemaId!;
    if (!this.schemaUse.has(schemaId)) {
      // First use of a schema: yaml-language-server resolves it (tens of milliseconds for a
      // Kubernetes workload) in a turn of its own, then validates.
      try {
        await this.ls.doValidation(this.doc({ text: '{}\n', startLine: 0, schemaId }), false);
      } catch (e) {
        this.failed('doValidation', e);
      } finally {
        this.release();
      }
      await yieldToLoop();
    }
    const doc = this.doc(slice);
    let raw: Diagnostic[] = [];
    try {
      raw = await this.ls.doValidation(doc, false);
    } catch (e) {
      this.failed('doValidation', e);
    } finally {
      this.release();
    }
    const out: Diagnostic[] = [];
    for (const d of raw) {
      // Syntax errors come from the engine (code yaml-syntax); keep schema problems only.
      if (typeof d.source !== 'string' || !d.source.startsWith('yaml-schema')) continue;
      if (typeof d.message === 'string' && d.message.startsWith('Matches multiple schemas')) continue;
      if (d.range.start.line < HEADER_LINES) continue;
      out.push({
        range: shift(d.range, -HEADER_LINES),
        // The API server rejects what the schema rejects (strict field validation).
        severity: d.severity === DiagnosticSeverity.Warning ? DiagnosticSeverity.Error : d.severity,
        source: 'kubefed',
        code: 'schema',
        message: d.message,
        data: { schema: schemaId.replace(/^.*\/kind\//, '').replace(/\.json$/, '') },
      });
    }
    this.stats.validated++;
    this.cache.set(schemaId + '\n' + slice.text, out);
    // Two generations: entries unused for a whole generation are dropped.
    if (this.cache.size > CACHE_LIMIT) {
      this.previousCache = this.cache;
      this.cache = new Map();
    }
    return out;
  }

  /** Completion inside one slice; `position` is in file coordinates. */
  /** yaml-language-server failures (library bugs on odd input): recorded, answered with nothing. */
  private failed(what: string, e: unknown): void {
    if (this.errors.length < 50) this.errors.push(`${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }

  async complete(slice: Slice, position: Position): Promise<CompletionList> {
    const doc = this.doc(slice);
    try {
      const list = await this.ls.doComplete(doc, toSlice(slice, position), false);
      for (const item of list.items) {
        if (item.textEdit) {
          if ('range' in item.textEdit) item.textEdit.range = toFile(slice, item.textEdit.range);
          else {
            item.textEdit.insert = toFile(slice, item.textEdit.insert);
            item.textEdit.replace = toFile(slice, item.textEdit.replace);
          }
        }
        if (item.additionalTextEdits) for (const e of item.additionalTextEdits) e.range = toFile(slice, e.range);
      }
      return list;
    } catch (e) {
      this.failed('doComplete', e);
      return { isIncomplete: false, items: [] };
    } finally {
      this.release();
    }
  }

  async hover(slice: Slice, position: Position): Promise<Hover | null> {
    const doc = this.doc(slice);
    try {
      const h = await this.ls.doHover(doc, toSlice(slice, position));
      if (h?.range) h.range = toFile(slice, h.range);
      return h;
    } catch (e) {
      this.failed('doHover', e);
      return null;
    } finally {
      this.release();
    }
  }
}

function shift(r: Range, lines: number): Range {
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}

/** Slice-relative diagnostics -> file coordinates. */
export function sliceToFile(slice: Slice, r: Range): Range {
  return shift(r, slice.startLine);
}

function toSlice(slice: Slice, p: Position): Position {
  return { line: p.line - slice.startLine + HEADER_LINES, character: p.character };
}

function toFile(slice: Slice, r: Range): Range {
  return shift(r, slice.startLine - HEADER_LINES);
}
