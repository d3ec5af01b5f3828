/**
 * One client per member cluster (kubeconfig context): authenticated HTTPS with keep-alive,
 * per-request timeouts and cancellation, discovery (kind -> resource) and the few verbs
 * propagation needs (get, list, server-side apply, merge patch, delete). Every error is an
 * ApiError whose message has been through the kubeconfig's redactor.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import { contextFor, type Kubeconfig, type Redactor } from './kubeconfig.ts';
import { CancelledError } from './pool.ts';

export const FIELD_MANAGER = 'kubefed-tools';
export const DEFAULT_TIMEOUT_MS = 30_000;

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'cancelled' | 'auth';

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    /** metav1.Status reason: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, ... */
    readonly reason?: string,
    readonly causes: StatusCause[] = [],
    /** Node error code for network errors (ECONNREFUSED, ECONNRESET, ...). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An error that says the cluster as a whole cannot be worked with now (unreachable, not answering, credentials refused). */
export function isClusterDown(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.kind === 'network' || err.kind === 'timeout' || err.kind === 'auth');
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Return the body as text instead of parsing JSON (e.g. /healthz). */
  raw?: boolean;
}

export interface ClientOptions {
  /** Per-request timeout (default 30 s, KubeFed's own operation timeout). */
  timeoutMs?: number;
  /** Keep-alive sockets per cluster. */
  maxSockets?: number;
}

interface AuthSnapshot {
  headers: Record<string, string>;
  agent: http.Agent;
  protocol: 'https:' | 'http:';
  /** The user authenticates through a plugin: refresh once on 401. */
  refreshable: boolean;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The REST path of a collection or of one object. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

export class ClusterClient {
  private authPromise: Promise<AuthSnapshot> | undefined;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | null>>();
  private readonly agents: http.Agent[] = [];
  readonly server: string;
  private readonly timeoutMs: number;

  constructor(
    /** The member cluster's name (KubeFedCluster name). */
    readonly cluster: string,
    readonly context: string,
    private readonly kc: KubeConfig,
    private readonly redactor: Redactor,
    private readonly options: ClientOptions = {},
  ) {
    this.server = kc.getCurrentCluster()?.server ?? '';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const a of this.agents) a.destroy();
  }

  private auth(): Promise<AuthSnapshot> {
    this.authPromise ??= this.buildAuth().catch((e) => {
      this.authPromise = undefined;
      throw new ApiError('auth', `${this.where()}: cannot get credentials: ${this.redact(String((e as Error)?.message ?? e))}`);
    });
    return this.authPromise;
  }

  private async buildAuth(): Promise<AuthSnapshot> {
    const opts: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const cluster = this.kc.getCurrentCluster();
    const user = this.kc.getCurrentUser();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const protocol = this.server.startsWith('http:') ? 'http:' : 'https:';
    let agent: http.Agent;
    const maxSockets = this.options.maxSockets ?? 32;
    if (cluster?.proxyUrl) {
      agent = opts.agent as http.Agent; // client-node's proxy agent
    } else if (protocol === 'http:') {
      agent = new http.Agent({ keepAlive: true, maxSockets });
    } else {
      agent = new https.Agent({
        keepAlive: true,
        maxSockets,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
        servername: opts.servername,
        ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      });
    }
    this.agents.push(agent);
    const refreshable = !!(user?.exec || user?.authProvider);
    return { headers, agent, protocol, refreshable };
  }

  private where(): string {
    return `cluster ${this.cluster} (context ${this.context})`;
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** The URL path with query, and the options of one HTTP request to this cluster. */
  private httpOptions(auth: AuthSnapshot, method: string, path: string, query: RequestOptions['query'], payload?: Buffer, contentType?: string): https.RequestOptions {
    const url = new URL(this.server);
    const basePath = url.pathname.replace(/\/$/, '');
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    return {
      protocol: auth.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (auth.protocol === 'http:' ? 80 : 443),
      method,
      path: `${basePath}${path}${qs.size ? `?${qs}` : ''}`,
      agent: auth.agent,
      headers: {
        ...auth.headers,
        Accept: 'application/json',
        'User-Agent': 'kubefed-tools',
        ...(payload ? { 'Content-Type': contentType ?? 'application/json', 'Content-Length': payload.length } : {}),
      },
    };
  }

  /** One HTTP request; JSON in and out. */
  async request<T = JsonObject>(method: string, path: string, opt: RequestOptions = {}, retried = false): Promise<T> {
    if (opt.signal?.aborted) throw new ApiError('cancelled', 'cancelled');
    const auth = await this.auth();
    const payload = opt.body === undefined ? undefined : Buffer.from(typeof opt.body === 'string' ? opt.body : JSON.stringify(opt.body));
    const timeoutMs = opt.timeoutMs ?? this.timeoutMs;
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const mod = auth.protocol === 'http:' ? http : https;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opt.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const req = mod.request(
        this.httpOptions(auth, method, path, opt.query, payload, opt.contentType),
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
          res.on('error', (e) => finish(() => reject(e)));
        },
      );
      const timer = setTimeout(() => {
        finish(() => reject(new ApiError('timeout', `${this.where()}: no answer to ${method} ${path} within ${timeoutMs / 1000} s`)));
        req.destroy();
      }, timeoutMs);
      const onAbort = () => {
        finish(() => reject(new CancelledError()));
        req.destroy();
      };
      opt.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(e)));
      if (payload) req.write(payload);
      req.end();
    }).catch((e: unknown) => {
      if (e instanceof ApiError) throw e;
      if (e instanceof CancelledError) throw new ApiError('cancelled', 'cancelled');
      const err = e as NodeJS.ErrnoException;
      throw new ApiError('network', `${this.where()} at ${this.server}: ${this.redact(err.message ?? String(e))}`, undefined, undefined, [], err.code);
    });
    if (result.status === 401 && auth.refreshable && !retried) {
      this.authPromise = undefined; // an expired plugin credential: fetch a fresh one once
      return this.request(method, path, opt, true);
    }
    if (result.status >= 200 && result.status < 300) {
      if (opt.raw) return result.body as T;
      if (!result.body) return {} as T;
      try {
        return JSON.parse(result.body) as T;
      } catch {
        throw new ApiError('http', `${this.where()}: ${method} ${path}: the answer is not JSON`, result.status);
      }
    }
    throw this.httpError(method, path, result.status, result.body);
  }

  private httpError(method: string, path: string, status: number, body: string): ApiError {
    let reason: string | undefined;
    let message = '';
    let causes: StatusCause[] = [];
    try {
      const s = JSON.parse(body) as unknown;
      if (isObject(s)) {
        reason = typeof s.reason === 'string' ? s.reason : undefined;
        message = typeof s.message === 'string' ? s.message : '';
        const d = s.details;
        if (isObject(d) && Array.isArray(d.causes)) {
          causes = d.causes.filter(isObject).map((c) => ({
            // metav1.StatusCause: `reason` on the wire (`type` in Go).
            type: typeof c.reason === 'string' ? c.reason : typeof c.type === 'string' ? c.type : undefined,
            message: typeof c.message === 'string' ? this.redact(c.message) : undefined,
            field: typeof c.field === 'string' ? c.field : undefined,
          }));
        }
      }
    } catch {
      message = body.slice(0, 300);
    }
    if (!reason) reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : undefined;
    const text = message || `HTTP ${status}`;
    return new ApiError(status === 401 ? 'auth' : 'http', this.redact(`${method} ${path}: ${text}`), status, reason, causes);
  }

  // -------------------------------------------------------------------------------------------
  // Discovery

  /** The resources of one group/version (null when the cluster does not serve it). */
  private groupVersion(apiVersion: string, signal?: AbortSignal): Promise<Map<string, ResourceInfo> | null> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      const { group, version } = splitApiVersion(apiVersion);
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      p = this.request<JsonObject>('GET', path, { signal }).then(
        (list) => {
          const m = new Map<string, ResourceInfo>();
          const resources = Array.isArray(list.resources) ? list.resources : [];
          for (const r of resources) {
            if (!isObject(r) || typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string') continue;
            m.set(r.kind, { group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced === true });
          }
          return m;
        },
        (e: unknown) => {
          this.discovery.delete(apiVersion);
          if (e instanceof ApiError && e.status === 404) return null;
          throw e;
        },
      );
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /** kind -> resource through discovery; null when this cluster does not serve the type. */
  async resourceFor(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo | null> {
    const gv = await this.groupVersion(apiVersion, signal);
    return gv?.get(kind) ?? null;
  }

  // -------------------------------------------------------------------------------------------
  // Verbs

  /** The object, or null when it does not exist. */
  async get(info: ResourceInfo, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<JsonObject | null> {
    try {
      return withType(await this.request<JsonObject>('GET', resourcePath(info, namespace, name), { signal }), info);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** Every object of a type (in one namespace, or everywhere), following `continue` tokens. */
  async list(info: ResourceInfo, opt: { namespace?: string; labelSelector?: string; signal?: AbortSignal } = {}): Promise<JsonObject[]> {
    const out: JsonObject[] = [];
    let cont: string | undefined;
    do {
      const page = await this.request<JsonObject>('GET', resourcePath(info, opt.namespace), {
        signal: opt.signal,
        query: { labelSelector: opt.labelSelector, limit: 500, continue: cont },
      });
      if (Array.isArray(page.items)) for (const it of page.items) if (isObject(it)) out.push(withType(it, info));
      const md = page.metadata;
      cont = isObject(md) && typeof md.continue === 'string' && md.continue ? md.continue : undefined;
    } while (cont);
    return out;
  }

  /** Server-side apply under FIELD_MANAGER. */
  async apply(
    info: ResourceInfo,
    obj: JsonObject,
    opt: { dryRun?: boolean; force?: boolean; signal?: AbortSignal; fieldManager?: string } = {},
  ): Promise<JsonObject> {
    const md = isObject(obj.metadata) ? obj.metadata : {};
    const path = resourcePath(info, typeof md.namespace === 'string' ? md.namespace : undefined, String(md.name ?? ''));
    const res = await this.request<JsonObject>('PATCH', path, {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      signal: opt.signal,
      query: { fieldManager: opt.fieldManager ?? FIELD_MANAGER, force: opt.force ? true : undefined, dryRun: opt.dryRun ? 'All' : undefined },
    });
    return withType(res, info);
  }

  /**
   * A watch of one type (everywhere, or in a namespace) from `resourceVersion`: `onEvent` gets each
   * event (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR). Resolves when the server ends the watch
   * (its timeout, or the connection closed); rejects on an HTTP error or when cancelled.
   */
  async watch(
    info: ResourceInfo,
    opt: { namespace?: string; resourceVersion?: string; timeoutSeconds?: number; labelSelector?: string; signal?: AbortSignal },
    onEvent: (type: string, obj: JsonObject) => void,
  ): Promise<void> {
    if (opt.signal?.aborted) throw new ApiError('cancelled', 'cancelled');
    const auth = await this.auth();
    const path = resourcePath(info, opt.namespace);
    const query = { watch: 1, allowWatchBookmarks: true, resourceVersion: opt.resourceVersion, timeoutSeconds: opt.timeoutSeconds ?? 300, labelSelector: opt.labelSelector };
    await new Promise<void>((resolve, reject) => {
      const mod = auth.protocol === 'http:' ? http : https;
      const onAbort = () => {
        req.destroy();
        reject(new ApiError('cancelled', 'cancelled'));
      };
      const req = mod.request(this.httpOptions(auth, 'GET', path, query), (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(this.httpError('GET', path, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            try {
              const ev = JSON.parse(line) as JsonObject;
              if (typeof ev.type === 'string' && isObject(ev.object)) onEvent(ev.type, ev.type === 'ERROR' ? ev.object : withType(ev.object, info));
            } catch {
              // a torn line: the next relist repairs what it would have said
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => reject(new ApiError('network', `${this.where()}: watch ${path}: ${this.redact(e.message)}`)));
      });
      opt.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e: NodeJS.ErrnoException) => reject(new ApiError('network', `${this.where()} at ${this.server}: ${this.redact(e.message)}`, undefined, undefined, [], e.code)));
      req.on('close', () => opt.signal?.removeEventListener('abort', onAbort));
      req.end();
    });
  }

  /** A list with the collection's resourceVersion (to watch from). */
  async listWithVersion(info: ResourceInfo, opt: { namespace?: string; labelSelector?: string; signal?: AbortSignal } = {}): Promise<{ items: JsonObject[]; resourceVersion: string }> {
    const page = await this.request<JsonObject>('GET', resourcePath(info, opt.namespace), { signal: opt.signal, query: { labelSelector: opt.labelSelector } });
    const items = Array.isArray(page.items) ? page.items.filter(isObject).map((o) => withType(o, info)) : [];
    const md = page.metadata;
    return { items, resourceVersion: isObject(md) && typeof md.resourceVersion === 'string' ? md.resourceVersion : '' };
  }

  /** JSON merge patch (used to remove the managed label when orphaning). */
  async mergePatch(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    patch: JsonObject,
    opt: { dryRun?: boolean; signal?: AbortSignal; fieldManager?: string } = {},
  ): Promise<JsonObject> {
    const res = await this.request<JsonObject>('PATCH', resourcePath(info, namespace, name), {
      body: patch,
      contentType: 'application/merge-patch+json',
      signal: opt.signal,
      query: { fieldManager: opt.fieldManager ?? FIELD_MANAGER, dryRun: opt.dryRun ? 'All' : undefined },
    });
    return withType(res, info);
  }

  /** Deletes; returns the object when it still exists (finalizers), null when it is gone. */
  async delete(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    opt: { dryRun?: boolean; signal?: AbortSignal; options?: JsonObject } = {},
  ): Promise<JsonObject | null> {
    const body: JsonObject = { apiVersion: 'v1', kind: 'DeleteOptions', ...(opt.options ?? {}) };
    if (opt.dryRun) body.dryRun = ['All'];
    const res = await this.request<JsonObject>('DELETE', resourcePath(info, namespace, name), { body, signal: opt.signal });
    if (res.kind === 'Status') return null;
    const md = res.metadata;
    return isObject(md) && md.deletionTimestamp ? withType(res, info) : null;
  }
}

function withType(obj: JsonObject, info: ResourceInfo): JsonObject {
  if (obj.kind === undefined || obj.apiVersion === undefined) {
    return { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind, ...obj };
  }
  return obj;
}

// ---------------------------------------------------------------------------------------------

export interface ConnectionOptions extends ClientOptions {
  /** Cluster name -> context (clusters not in the map use the context of the same name). */
  contextMap?: ReadonlyMap<string, string>;
}

/** The clients of a run, one per member cluster, created on first use. */
export class Connections {
  private readonly clients = new Map<string, ClusterClient>();

  constructor(
    readonly kubeconfig: Kubeconfig,
    private readonly options: ConnectionOptions = {},
  ) {}

  contextOf(cluster: string): string | undefined {
    return contextFor(cluster, this.options.contextMap ?? new Map(), this.kubeconfig);
  }

  /** The client of `cluster`, or an explanation of why there is none. */
  client(cluster: string): ClusterClient | { error: string } {
    const existing = this.clients.get(cluster);
    if (existing) return existing;
    const ctx = this.contextOf(cluster);
    if (!ctx) {
      return { error: `no kubeconfig context for cluster ${cluster} in ${this.kubeconfig.origin}` };
    }
    if (!this.kubeconfig.hasContext(ctx)) {
      return { error: `context "${ctx}" (mapped from cluster ${cluster}) is not in ${this.kubeconfig.origin}` };
    }
    try {
      const c = new ClusterClient(cluster, ctx, this.kubeconfig.forContext(ctx), this.kubeconfig.redactor, this.options);
      this.clients.set(cluster, c);
      return c;
    } catch (e) {
      return { error: this.kubeconfig.redactor.redact(`cluster ${cluster} (context ${ctx}): ${(e as Error).message}`) };
    }
  }

  redact(text: string): string {
    return this.kubeconfig.redactor.redact(text);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}
