/**
 * Kubeconfig loading (through @kubernetes/client-node, so every auth method it supports works:
 * client certificates, bearer tokens and token files, basic auth, exec plugins, auth providers),
 * the cluster-name -> context map, and redaction of every credential out of any text we show.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';

export class KubeconfigError extends Error {}

// ---------------------------------------------------------------------------------------------
// Redaction

const REDACTED = '[REDACTED]';

/** Values of these keys are credentials wherever they appear (kubeconfig YAML, JSON, query strings). */
const SECRET_KEYS =
  '(?:token|id-token|refresh-token|access-token|client-secret|password|passwd|secret|client-key-data|client-certificate-data|certificate-authority-data|key-data|cert-data|apikey|api-key)';

const PATTERNS: [RegExp, string][] = [
  // PEM blocks (keys, certificates).
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, `${REDACTED} (PEM)`],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/(\bauthorization["']?\s*[:=]\s*["']?)[^\s"',}]+(?:\s+[^\s"',}]+)?/gi, `$1${REDACTED}`],
  // JSON web tokens (service account tokens, OIDC id tokens).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // key: value / "key":"value" / key=value
  [new RegExp(`((?:^|[\\s"'{,?&;])${SECRET_KEYS}["']?\\s*[:=]\\s*["']?)[^\\s"',}&]+`, 'gim'), `$1${REDACTED}`],
];

/** Removes credentials from text: every secret it was told about (and its base64 form) plus generic patterns. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length < 6) return;
    this.secrets.add(v);
    // Kubeconfig *-data fields are base64: hide the decoded form too (and each PEM line of it).
    if (/^[A-Za-z0-9+/=\s]+$/.test(v) && v.length % 4 === 0) {
      const decoded = Buffer.from(v, 'base64').toString('utf8');
      if (decoded.length >= 6 && /^[\x09\x0a\x0d\x20-\x7e]+$/.test(decoded)) {
        this.secrets.add(decoded.trim());
        for (const line of decoded.split('\n')) if (line.trim().length >= 16 && !line.startsWith('-----')) this.secrets.add(line.trim());
      }
    } else {
      this.secrets.add(Buffer.from(v).toString('base64'));
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  }
}

/** Generic redaction without any known secret. */
export function redact(text: string): string {
  return new Redactor().redact(text);
}

function collectSecrets(r: Redactor, users: readonly User[]): void {
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || v === undefined) return;
    if (typeof v === 'string') return r.add(v);
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    if (typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
  };
  for (const u of users) {
    r.add(u.token);
    r.add(u.password);
    r.add(u.certData);
    r.add(u.keyData);
    // Auth-provider config (id-token, refresh-token, client-secret, ...), exec env values.
    if (u.authProvider?.config) {
      for (const [k, v] of Object.entries(u.authProvider.config as Record<string, unknown>)) {
        if (/token|secret|key|password/i.test(k)) walk(v, 0);
      }
    }
    const env = (u.exec as { env?: { name?: string; value?: string }[] } | undefined)?.env;
    if (Array.isArray(env)) for (const e of env) r.add(e?.value);
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface KubeconfigSource {
  /** A kubeconfig file (several joined with the path delimiter, like KUBECONFIG). */
  path?: string;
  /** Kubeconfig text (the editor passes settings or an unsaved buffer). */
  text?: string;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
}

/** A loaded kubeconfig: its contexts, a KubeConfig switched to any of them, and its redactor. */
export class Kubeconfig {
  readonly redactor = new Redactor();
  /** Where it came from, for messages (never its content). */
  readonly origin: string;

  constructor(
    private readonly kc: KubeConfig,
    origin: string,
  ) {
    this.origin = origin;
    collectSecrets(this.redactor, kc.users);
  }

  get currentContext(): string {
    return this.kc.currentContext;
  }

  contexts(): ContextInfo[] {
    return this.kc.contexts.map((c: Context) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: this.kc.clusters.find((x: Cluster) => x.name === c.cluster)?.server,
    }));
  }

  hasContext(name: string): boolean {
    return this.kc.contexts.some((c) => c.name === name);
  }

  /** A KubeConfig of its own, current context `name` (so concurrent clients never share state). */
  forContext(name: string): KubeConfig {
    if (!this.hasContext(name)) throw new KubeconfigError(`context "${name}" is not in ${this.origin}`);
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: this.kc.clusters, users: this.kc.users, contexts: this.kc.contexts, currentContext: name });
    return kc;
  }
}

/**
 * Loads a kubeconfig: `path` (one file, or several joined like KUBECONFIG), `text`, or the default
 * (KUBECONFIG, then ~/.kube/config). Errors never quote the file's content.
 */
export function loadKubeconfig(source: KubeconfigSource = {}): Kubeconfig {
  const kc = new KubeConfig();
  let origin: string;
  const fail = (what: string, e: unknown): never => {
    const msg = redact(String((e as Error)?.message ?? e).split('\n')[0] ?? '');
    throw new KubeconfigError(`cannot load kubeconfig ${what}: ${msg.slice(0, 200)}`);
  };
  if (source.text !== undefined) {
    origin = 'the given kubeconfig';
    try {
      kc.loadFromString(source.text);
    } catch (e) {
      fail('text', e);
    }
  } else {
    const spec = source.path ?? process.env.KUBECONFIG ?? '';
    const files = spec.split(delimiter).filter(Boolean);
    if (files.length === 0) {
      const home = join(homedir(), '.kube', 'config');
      if (!existsSync(home)) throw new KubeconfigError('no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config');
      files.push(home);
    }
    origin = files.join(delimiter);
    for (const [i, f] of files.entries()) {
      if (!existsSync(f)) throw new KubeconfigError(`cannot load kubeconfig ${f}: no such file`);
      try {
        if (i === 0) kc.loadFromFile(f);
        else {
          const more = new KubeConfig();
          more.loadFromFile(f);
          kc.mergeConfig(more);
        }
      } catch (e) {
        fail(f, e);
      }
    }
  }
  return new Kubeconfig(kc, origin);
}

// ---------------------------------------------------------------------------------------------
// Cluster name -> context

/** `cluster1=ctxA,cluster2=ctxB` (the flag may repeat); throws on malformed or duplicate entries. */
export function parseContextMap(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values) {
    for (const part of v.split(',')) {
      const p = part.trim();
      if (!p) continue;
      const eq = p.indexOf('=');
      if (eq <= 0 || eq === p.length - 1) throw new KubeconfigError(`--context-map entry "${p}" is not CLUSTER=CONTEXT`);
      const cluster = p.slice(0, eq).trim();
      const context = p.slice(eq + 1).trim();
      if (map.has(cluster) && map.get(cluster) !== context) throw new KubeconfigError(`--context-map names cluster "${cluster}" twice`);
      map.set(cluster, context);
    }
  }
  return map;
}

/** The context that reaches `cluster`: the mapped one, else a context of the same name. */
export function contextFor(cluster: string, map: ReadonlyMap<string, string>, kubeconfig: Kubeconfig): string | undefined {
  const mapped = map.get(cluster);
  if (mapped !== undefined) return mapped;
  return kubeconfig.hasContext(cluster) ? cluster : undefined;
}

/** Cluster names of kubeconfig contexts: a mapped context takes its cluster's name. */
export function clusterNamesOfContexts(map: ReadonlyMap<string, string>, kubeconfig: Kubeconfig): { name: string; context: string; server?: string }[] {
  const reverse = new Map<string, string>();
  for (const [cluster, ctx] of map) reverse.set(ctx, cluster);
  return kubeconfig.contexts().map((c) => ({ name: reverse.get(c.name) ?? c.name, context: c.name, server: c.server }));
}
