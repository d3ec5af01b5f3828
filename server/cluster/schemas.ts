/**
 * What each member cluster really serves: its version (`/version`), the group-versions it lists
 * on `/openapi/v3` and their OpenAPI v3 documents, converted by the engine into a schema set.
 *
 * The documents are cached on disk per cluster and server version
 * (`<cache>/kubefed-tools/schemas/<server-host>/<gitVersion>/`, `<group>.<version>.json` plus
 * `index.json` with the hash-bearing URL of each, and the converted `bundle.json`). A load asks
 * the server for its version and its `/openapi/v3` list (two small requests) and downloads only
 * the documents whose URL (hash) changed — a CRD added or changed, another version — or are not
 * cached yet. Within a process an unchanged cluster gives the same set object back.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { bundleFromOpenApi, type OpenApiDocument, type SchemaBundle } from '../engine/validation/openapi.ts';
import type { ClusterSchemaSet } from '../engine/validation/schemaSets.ts';
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import { ApiError, type ClusterClient, type Connections } from './client.ts';
import { Semaphore } from './pool.ts';

/** The folder of the schema cache: `$XDG_CACHE_HOME` (else ~/.cache, %LOCALAPPDATA% on Windows)/kubefed-tools/schemas. */
export function schemaCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || join(homedir(), '.cache');
  return join(base, 'kubefed-tools', 'schemas');
}

export interface SchemaLoadOptions {
  cacheDir?: string;
  signal?: AbortSignal;
  /** Documents downloaded at once per cluster. */
  concurrency?: number;
}

interface CacheIndex {
  /** Document name (`apps.v1`) -> the server-relative URL it was read from (with its hash). */
  docs: Record<string, string>;
}

/** `<group>.<version>` of an `/openapi/v3` path (`api/v1` -> `core.v1`); undefined for the others. */
export function documentName(path: string): string | undefined {
  const core = /^api\/([^/]+)$/.exec(path);
  if (core) return `core.${core[1]}`;
  const named = /^apis\/([^/]+)\/([^/]+)$/.exec(path);
  return named ? `${named[1]}.${named[2]}` : undefined;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** Last set per cache folder in this process: an unchanged cluster gives the same object. */
const memo = new Map<string, { key: string; set: ClusterSchemaSet }>();

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value));
  await fs.rename(tmp, file);
}

/** The group-version documents `/openapi/v3` lists: name -> server-relative URL. */
async function listDocuments(client: ClusterClient, signal?: AbortSignal): Promise<Map<string, string>> {
  const root = await client.request<JsonObject>('GET', '/openapi/v3', { signal });
  const out = new Map<string, string>();
  const paths = isObject(root.paths) ? root.paths : {};
  for (const [p, v] of Object.entries(paths)) {
    const name = documentName(p);
    const url = isObject(v) && typeof v.serverRelativeURL === 'string' ? v.serverRelativeURL : `/openapi/v3/${p}`;
    if (name) out.set(name, url);
  }
  return out;
}

async function download(client: ClusterClient, url: string, signal?: AbortSignal): Promise<JsonObject> {
  const u = new URL(url, 'http://x');
  return client.request<JsonObject>('GET', u.pathname, { signal, query: Object.fromEntries(u.searchParams) });
}

/** The schema set of one member cluster, from the cache where it is current; `fetched`: documents downloaded. */
export async function clusterSchemaSet(client: ClusterClient, opts: SchemaLoadOptions = {}): Promise<{ set: ClusterSchemaSet; fetched: number }> {
  const { signal } = opts;
  const version = await client.request<JsonObject>('GET', '/version', { signal });
  const gitVersion = typeof version.gitVersion === 'string' ? version.gitVersion : 'unknown';
  const listed = await listDocuments(client, signal);
  const dir = join(opts.cacheDir ?? schemaCacheDir(), safe(new URL(client.server).host), safe(gitVersion));
  const key = JSON.stringify([...listed].sort());
  const hit = memo.get(dir);
  if (hit && hit.key === key && hit.set.cluster === client.cluster) return { set: hit.set, fetched: 0 };
  await fs.mkdir(dir, { recursive: true });
  const index = (await readJson<CacheIndex>(join(dir, 'index.json'))) ?? { docs: {} };
  const cached = await readJson<{ key: string; bundle: SchemaBundle }>(join(dir, 'bundle.json'));
  let bundle = cached?.key === key ? cached.bundle : undefined;
  let fetched = 0;
  if (!bundle) {
    const docs: OpenApiDocument[] = [];
    const gate = new Semaphore(opts.concurrency ?? 4);
    await Promise.all(
      [...listed].map(async ([name, url]) => {
        const file = join(dir, `${safe(name)}.json`);
        let doc = index.docs[name] === url ? await readJson<JsonObject>(file) : undefined;
        if (!doc) {
          await gate.acquire(signal);
          try {
            doc = await download(client, url, signal);
          } finally {
            gate.release();
          }
          fetched++;
          await writeJson(file, doc);
          index.docs[name] = url;
        }
        docs.push({ name, doc });
      }),
    );
    docs.sort((a, b) => a.name.localeCompare(b.name));
    bundle = bundleFromOpenApi(docs, gitVersion);
    await writeJson(join(dir, 'index.json'), index);
    await writeJson(join(dir, 'bundle.json'), { key, bundle });
  }
  const set: ClusterSchemaSet = { cluster: client.cluster, version: gitVersion, bundle };
  memo.set(dir, { key, set });
  return { set, fetched };
}

export interface MemberSchemas {
  sets: ClusterSchemaSet[];
  /** Clusters without a set: unreachable, no context, … (never the template's concern). */
  problems: { cluster: string; message: string }[];
  fetched: number;
}

/** The schema sets of the member clusters that answer; the others are listed in `problems`. */
export async function memberSchemas(connections: Connections, clusters: readonly string[], opts: SchemaLoadOptions = {}): Promise<MemberSchemas> {
  const out: MemberSchemas = { sets: [], problems: [], fetched: 0 };
  await Promise.all(
    clusters.map(async (cluster) => {
      const client = connections.client(cluster);
      if ('error' in client) {
        out.problems.push({ cluster, message: client.error });
        return;
      }
      try {
        const r = await clusterSchemaSet(client, opts);
        out.sets.push(r.set);
        out.fetched += r.fetched;
      } catch (e) {
        const message = e instanceof ApiError ? e.message : connections.redact(String((e as Error)?.message ?? e));
        out.problems.push({ cluster, message });
      }
    }),
  );
  out.sets.sort((a, b) => a.cluster.localeCompare(b.cluster));
  return out;
}
