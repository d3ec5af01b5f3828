/**
 * State shared by the language features: the engine workspace, the documents, the schema
 * registry and the embedded yaml-language-server, plus helpers to find the `---` document and
 * the YAML path under a position.
 */
import type { Connection, Position, Range } from 'vscode-languageserver';
import type { EngineDiagnostic, FederatedResource, Workspace } from '../engine/index.ts';
import type { HostStatus } from '../engine/hostStatus.ts';
import type { HostResourceState } from './protocol.ts';
import type { ParsedDoc, ParsedFile, PathSegment } from '../engine/index.ts';
import { isObject, isSecretPath, SECRET_MASK, type Json, type JsonObject } from '../engine/index.ts';
import type { DocumentManager } from './documents.ts';
import type { SchemaRegistry } from './schemas.ts';
import type { Slice, YamlService } from './yamlService.ts';

export interface Settings {
  /** Path of a kubeconfig whose contexts count as clusters; false to ignore kubeconfigs. */
  kubeconfig?: string | false;
  /** Path of a clusters file (KubeFedCluster objects). */
  clustersFile?: string;
  /** Extra clusters given in settings. */
  clusters?: { name: string; labels?: Record<string, string> }[];
  /** Mask Secret data in previews (default true). */
  maskSecrets?: boolean;
  /**
   * Schema validation of templates and override values: `strict` (every schema problem is an
   * error), `normal` (default: unknown fields are warnings, other schema problems errors) or
   * `off` (federation checks only).
   */
  schemaStrictness?: 'strict' | 'normal' | 'off';
  /** Kubeconfig context of the KubeFed host: its federated objects' status is watched (empty: none). */
  hostCluster?: string;
}

export interface ServerContext {
  connection: Connection;
  ws: Workspace;
  docs: DocumentManager;
  schemas: SchemaRegistry;
  yaml: YamlService;
  settings: Settings;
  /** Resolves when the initial workspace index is complete. */
  ready: Promise<void>;
  /** The watched KubeFed host (`kubefed.hostCluster`), once set up (host.ts). */
  host?: HostView;
}

/** What the features ask of the watched KubeFed host (implemented by host.ts). */
export interface HostView {
  configure(): void;
  stop(): void;
  /** The kubefed-status diagnostics of a file. */
  diagnostics(uri: string): EngineDiagnostic[];
  /** A host is watched and its objects are current (connected). */
  watching(): boolean;
  status(r: FederatedResource): HostStatus | undefined;
  placementState(r: FederatedResource): HostResourceState | undefined;
}

const sliceCache = new WeakMap<ParsedDoc, { gen: number; slice: Slice }>();
let schemaGeneration = 0;

/** Call when the schema of documents may change (workspace FederatedTypeConfigs changed). */
export function bumpSchemaGeneration(): void {
  schemaGeneration++;
}

/** apiVersion/kind of a document and the inputs of its schema choice. */
export function schemaIdOf(schemas: SchemaRegistry, value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (!apiVersion || !kind) return undefined;
  const overridePaths: string[] = [];
  const spec = value.spec;
  if (isObject(spec) && Array.isArray(spec.overrides)) {
    for (const o of spec.overrides) {
      if (isObject(o) && Array.isArray(o.clusterOverrides)) {
        for (const co of o.clusterOverrides) if (isObject(co) && typeof co.path === 'string') overridePaths.push(co.path);
      }
    }
  }
  let listKinds: [string, string][] | undefined;
  if (kind === 'List' && Array.isArray(value.items)) {
    listKinds = [];
    for (const it of value.items) {
      if (isObject(it) && typeof it.apiVersion === 'string' && typeof it.kind === 'string') listKinds.push([it.apiVersion, it.kind]);
    }
  }
  return schemas.schemaIdFor(apiVersion, kind, { overridePaths, listKinds });
}

/** The yaml-language-server slice of a parsed document. */
export function sliceOf(ctx: ServerContext, file: ParsedFile, doc: ParsedDoc): Slice {
  const hit = sliceCache.get(doc);
  if (hit && hit.gen === schemaGeneration) return hit.slice;
  const slice: Slice = {
    text: doc.text,
    startLine: file.lines.position(doc.start).line,
    schemaId: schemaIdOf(ctx.schemas, doc.value ?? lenientValue(doc)),
  };
  sliceCache.set(doc, { gen: schemaGeneration, slice });
  return slice;
}

/** apiVersion/kind of a document that does not parse cleanly (while typing), from its top-level pairs. */
function lenientValue(doc: ParsedDoc): JsonObject | undefined {
  const m1 = /^apiVersion:[ \t]*["']?([^\s"'#]+)/m.exec(doc.text);
  const m2 = /^kind:[ \t]*["']?([^\s"'#]+)/m.exec(doc.text);
  if (!m1 || !m2) return undefined;
  return { apiVersion: m1[1], kind: m2[1] };
}

export interface PositionInfo {
  file: ParsedFile;
  doc: ParsedDoc;
  offset: number;
  slice: Slice;
}

export function docAt(ctx: ServerContext, uri: string, position: Position): PositionInfo | undefined {
  const file = ctx.ws.getFile(uri);
  if (!file) return undefined;
  const offset = file.lines.offset(position);
  const doc = file.docAt(offset) ?? file.docs[file.docs.length - 1];
  if (!doc) return undefined;
  return { file, doc, offset, slice: sliceOf(ctx, file, doc) };
}

export function rangeOf(file: ParsedFile, r: [number, number]): Range {
  return file.range(r[0], r[1]);
}

export function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join('.');
}

/** Line text of a position (without line break). */
export function lineText(file: ParsedFile, line: number): string {
  const start = file.lines.offset({ line, character: 0 });
  let end = file.text.indexOf('\n', start);
  if (end < 0) end = file.text.length;
  return file.text.slice(start, end).replace(/\r$/, '');
}

export function toPointer(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function contains(r: Range, p: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(r.start, p) && before(p, r.end);
}

/**
 * A template value as hovers and hints show it: a Secret's data value masked unless the setting
 * kubefed.maskSecrets is off. `path` is relative to the object (segments or a JSON pointer).
 */
export function shownValue(ctx: ServerContext, kind: string, path: readonly PathSegment[] | string, value: Json | undefined): Json | undefined {
  return value !== undefined && ctx.settings.maskSecrets !== false && isSecretPath(kind, path) ? SECRET_MASK : value;
}

/** The value at a path of keys and array indexes (own properties only). */
export function getIn(root: unknown, path: readonly PathSegment[]): Json | undefined {
  let cur: unknown = root;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : NaN;
      if (!(i >= 0 && i < cur.length)) return undefined;
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, String(seg))) return undefined;
      cur = cur[String(seg)];
    } else return undefined;
  }
  return cur as Json | undefined;
}
