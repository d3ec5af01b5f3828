/**
 * node:test helpers around the local federation (./launcher.ts).
 *
 *   import { useFederation, freshNamespace } from '../clusters/fixtures.ts';
 *   const fx = useFederation();                 // one federation per test file: before() / after()
 *   test('x', async () => {
 *     const ns = await freshNamespace(fx.fed, 'x');   // created in every cluster
 *     const core = fx.api('cluster2', CoreV1Api);
 *   });
 *
 * Namespaces: there is no kube-controller-manager, so a deleted namespace never finishes
 * terminating (nothing empties it and removes the `kubernetes` finalizer) and its name cannot be
 * reused while the federation runs. Every test therefore gets a namespace with a unique,
 * never-reused name instead of deleting and recreating a fixed one; the whole etcd is thrown away
 * when the federation stops, so nothing needs cleaning up between tests.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { KubeConfig, KubernetesObjectApi, type ApiType } from '@kubernetes/client-node';
import { binaryPaths, startFederation, type Federation, type FederationOptions } from './launcher.ts';

export interface FederationFixture {
  /** The running federation; throws when used before `before()` ran or after it failed. */
  readonly fed: Federation;
  /** A KubeConfig loaded from the federation's kubeconfig file, switched to `context`. */
  kubeConfig(context?: string): KubeConfig;
  /** A typed API client (e.g. CoreV1Api, AppsV1Api) for one context. */
  api<T extends ApiType>(context: string, apiClientType: new (config: any) => T): T;
  /** A generic object client for one context. */
  objects(context: string): KubernetesObjectApi;
}

/** Time allowed for starting the federation: generous, as the first run may build the binaries. */
export function startTimeoutMs(): number {
  let present = false;
  try {
    present = binaryPaths().present;
  } catch {
    /* reported by startFederation */
  }
  return present ? 180_000 : 45 * 60_000;
}

/**
 * Starts one federation for the current test file in `before` and stops it in `after`.
 * If it cannot start (for example `go` is missing so the binaries cannot be built), `before`
 * fails and with it every test of the file: these tests never skip.
 */
export function useFederation(options: FederationOptions = {}): FederationFixture {
  let fed: Federation | undefined;
  before(
    async () => {
      fed = await startFederation({
        ...options,
        log: options.log ?? (process.env.KFED_CLUSTERS_LOG ? (l) => console.error(`[clusters] ${l}`) : undefined),
      });
    },
    { timeout: startTimeoutMs() },
  );
  after(async () => {
    await fed?.stop();
  }, { timeout: 60_000 });

  const configs = new Map<string, KubeConfig>();
  const fixture: FederationFixture = {
    get fed(): Federation {
      if (!fed) throw new Error('the federation is not running (did before() fail?)');
      return fed;
    },
    kubeConfig(context?: string): KubeConfig {
      const f = fixture.fed;
      const ctx = context ?? f.hostCluster;
      let kc = configs.get(ctx);
      if (!kc) {
        kc = new KubeConfig();
        kc.loadFromFile(f.kubeconfigPath);
        kc.setCurrentContext(ctx);
        configs.set(ctx, kc);
      }
      return kc;
    },
    api(context, apiClientType) {
      return fixture.kubeConfig(context).makeApiClient(apiClientType);
    },
    objects(context) {
      return KubernetesObjectApi.makeApiClient(fixture.kubeConfig(context));
    },
  };
  return fixture;
}

/** A DNS-1123 name that has never been used before: `<prefix>-<12 hex>`. */
export function uniqueName(prefix = 't'): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 't';
  return `${clean}-${randomBytes(6).toString('hex')}`;
}

/**
 * Creates a namespace with a unique name in the given clusters (default: all) and returns its
 * name. Never delete-and-reuse a namespace name: see the note at the top of this file.
 */
export async function freshNamespace(
  fed: Federation,
  prefix = 't',
  clusters: string[] = fed.clusters.map((c) => c.name),
  labels: Record<string, string> = {},
): Promise<string> {
  const name = uniqueName(prefix);
  await Promise.all(
    clusters.map(async (c) => {
      const res = await fed.request(c, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubefed-tools.test/fresh': 'true', ...labels } },
      });
      if (res.status !== 201) throw new Error(`${c}: creating namespace ${name} -> ${res.status}: ${res.body}`);
    }),
  );
  return name;
}
