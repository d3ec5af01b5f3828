/**
 * One member cluster during one run: reads what the engine's plan needs (discovery, the live
 * object, whether the cluster answers) and asks the engine for the plan. Propagate executes the
 * plans; diff compares with them. Neither decides anything on its own.
 */
import type { FederatedResource } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { JsonObject } from '../engine/json.ts';
import { planCluster, type ClusterInput, type ClusterPlan, type PlanPolicy } from '../engine/plan.ts';
import { targetRefOf } from '../engine/targets.ts';
import { ApiError, isClusterDown, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import { LiveCache } from './live.ts';
import { Semaphore, isCancelled } from './pool.ts';
import { failureOf, hintFor, type HintContext } from './status.ts';
import type { ObjectRef } from '../engine/targets.ts';

export interface Observation {
  plan: ClusterPlan;
  /** The type as the cluster serves it (absent when the cluster could not be asked). */
  info?: ResourceInfo;
  /** The live object (null: absent or unread). */
  live: JsonObject | null;
}

export interface SessionOptions {
  concurrency?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class ClusterSession {
  readonly sem: Semaphore;
  readonly context: string | undefined;
  readonly client: ClusterClient | undefined;
  /** Why there is no client (no kubeconfig context). */
  readonly clientError: string | undefined;
  readonly live: LiveCache | undefined;
  /** The first network / timeout / credential error: later reads report ClusterNotReady at once. */
  down: ApiError | undefined;

  constructor(
    readonly cluster: string,
    connections: Connections,
    private readonly ws: Workspace,
    private readonly policy: PlanPolicy,
    readonly options: SessionOptions = {},
  ) {
    this.sem = new Semaphore(Math.max(1, options.concurrency ?? 8));
    this.context = connections.contextOf(cluster);
    const c = connections.client(cluster);
    if ('error' in c) this.clientError = c.error;
    else {
      this.client = c;
      this.live = new LiveCache(c, this.sem, options.signal);
    }
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  note(err: unknown): void {
    if (isClusterDown(err)) this.down ??= err;
  }

  /** The target object of `res` here (apiVersion from the create-path render). */
  target(res: FederatedResource): ObjectRef {
    return targetRefOf(res, this.ws.render(res, this.cluster));
  }

  hintContext(ref: ObjectRef, extra: Partial<HintContext> = {}): HintContext {
    return { cluster: this.cluster, context: this.context, kind: ref.kind, apiVersion: ref.apiVersion, namespace: ref.namespace, name: ref.name, timeoutMs: this.options.timeoutMs, ...extra };
  }

  /** One list per (type, namespace) shared by several resources instead of one GET each. */
  async prefetch(resources: readonly FederatedResource[]): Promise<void> {
    if (!this.live) return;
    const refs = resources.filter((r) => !r.placement.error && !r.placement.namespaceNotFederated).map((r) => this.target(r));
    await this.live.prefetch(refs).catch((e) => this.note(e));
  }

  /** The plan for `res` from what is known without reading (no client, cluster down). */
  plan(res: FederatedResource, failure?: ClusterInput['failure'], object: JsonObject | null = null): ClusterPlan {
    return planCluster(res, { name: this.cluster, object, ...(failure ? { failure } : {}) }, this.policy, (r, c) => this.ws.render(r, c));
  }

  private downFailure(): ClusterInput['failure'] {
    const f = failureOf('read', this.down);
    return { status: 'ClusterNotReady', reason: f.reason, message: f.message };
  }

  /** Reads the live object of `res` and plans. Cancellation is thrown; every other error becomes a failure input. */
  async observe(res: FederatedResource): Promise<Observation> {
    if (this.clientError !== undefined) return { plan: this.plan(res, { status: 'ClientRetrievalFailed', reason: 'NoContext', message: this.clientError }), live: null };
    if (res.placement.error || res.placement.namespaceNotFederated) return { plan: this.plan(res), live: null };
    if (this.down) return { plan: this.plan(res, this.downFailure()), live: null };
    const ref = this.target(res);
    const c = this.client!;
    try {
      const info = await this.sem.run(() => c.resourceFor(ref.apiVersion, ref.kind, this.signal), this.signal);
      if (!info) {
        return { plan: this.plan(res, { status: 'RetrievalFailed', reason: 'TypeNotServed', message: `${this.cluster} does not serve ${ref.apiVersion} ${ref.kind}` }), live: null };
      }
      const live = await this.live!.get(info, ref);
      return { plan: this.plan(res, undefined, live), info, live };
    } catch (e) {
      if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) throw e;
      this.note(e);
      if (this.down) return { plan: this.plan(res, this.downFailure()), live: null };
      const f = failureOf('read', e);
      return { plan: this.plan(res, { status: f.status, reason: f.reason, message: f.message }), live: null };
    }
  }

  /** What to do about a plan's status. */
  hintOf(plan: ClusterPlan): string | undefined {
    if (!plan.status) return undefined;
    if (plan.status === 'DeletionFailed' && plan.reason === 'Invalid') {
      return 'Fix the kubefed.io/deleteoption annotation of the federated resource (JSON of metav1.DeleteOptions).';
    }
    return hintFor(plan.status, plan.reason, this.hintContext(plan.target, { finalizers: plan.finalizers })) || undefined;
  }
}
