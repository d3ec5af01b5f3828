/**
 * What a Propagate or Compare report says about each federated resource in each member cluster,
 * as the placement view's live states. Pure (no `vscode`): every outcome kind maps to a state and
 * words, a dry run's as what it would do (`would create`); resources are named by the engine's
 * resource id that server/cluster puts on every outcome and entry (the id of kubefed/placement).
 */
import type { DiffEntry, DiffReport, Outcome, PropagateReport } from './clusterModule.ts';
import type { LiveState, LiveStateKind } from '../webview/messages.ts';
import { liveKey } from '../webview/viewModel.ts';

type Result = Outcome['result'];

/** A real run's result: what the cluster has now. */
const DONE: Record<Result, LiveStateKind> = {
  created: 'in-sync',
  updated: 'in-sync',
  adopted: 'in-sync',
  unchanged: 'in-sync',
  deleted: 'in-sync',
  orphaned: 'in-sync',
  pruned: 'in-sync',
  skipped: 'error',
  failed: 'error',
  cancelled: 'unchecked',
};

/** A dry run's result: what Propagate would do, and what that says the cluster has now. */
const WOULD: Record<Result, { words: string; state: LiveStateKind }> = {
  created: { words: 'would create', state: 'missing' },
  updated: { words: 'would update', state: 'drifted' },
  adopted: { words: 'would adopt', state: 'drifted' },
  unchanged: { words: 'unchanged', state: 'in-sync' },
  deleted: { words: 'would delete', state: 'drifted' },
  orphaned: { words: 'would orphan', state: 'drifted' },
  pruned: { words: 'would prune', state: 'drifted' },
  skipped: { words: 'would skip', state: 'error' },
  failed: { words: 'would fail', state: 'error' },
  cancelled: { words: 'cancelled', state: 'unchecked' },
};

/** Propagate's result in words: what it did, or in a dry run what it would do. */
export function outcomeWords(result: Result, dryRun: boolean): string {
  return dryRun ? WOULD[result].words : result;
}

/** `Status / Reason: message` and the hint on its own line. */
function failureDetail(e: { status?: string; reason?: string; message?: string; hint?: string }): string {
  const head = [e.status, e.reason].filter(Boolean).join(' / ');
  return [head && e.message ? `${head}: ${e.message}` : head || e.message || '', e.hint ? `→ ${e.hint}` : ''].filter(Boolean).join('\n');
}

function outcomeDetail(o: Outcome): string {
  if (o.status === 'WaitingForRemoval') return `${o.message ?? 'being deleted'} (waiting for finalizers)`;
  return failureDetail(o);
}

/** The live state one Propagate outcome tells; undefined for an outcome without a resource id (prune). */
export function liveStateOfOutcome(o: Outcome, dryRun: boolean, at: number): LiveState | undefined {
  if (!o.resourceId) return undefined;
  const state = dryRun ? WOULD[o.result].state : o.result === 'skipped' && !o.status ? 'unchecked' : DONE[o.result];
  const detail = outcomeDetail(o);
  return { resourceId: o.resourceId, cluster: o.cluster, state, outcome: outcomeWords(o.result, dryRun), at, source: 'propagate', ...(detail ? { detail } : {}) };
}

function driftDetail(e: DiffEntry): string {
  const paths = (e.changes ?? []).map((c) => c.path);
  const changed = paths.length ? `changed: ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ` (+${paths.length - 8})` : ''}` : '';
  return [e.unmanaged ? 'exists without the managed label' : '', changed].filter(Boolean).join('; ');
}

/** The state, words and detail of one Compare entry. */
function entryView(e: DiffEntry): Pick<LiveState, 'state' | 'outcome' | 'detail'> {
  switch (e.state) {
    case 'in-sync':
      return { state: 'in-sync', outcome: 'in sync' };
    case 'drifted':
      return { state: 'drifted', outcome: e.unmanaged && !e.changes?.length ? 'unmanaged' : 'drifted', detail: driftDetail(e) };
    case 'missing':
      return { state: 'missing', outcome: 'missing', detail: 'placed but absent (Propagate creates it)' };
    case 'unexpected':
      return { state: 'drifted', outcome: 'unexpected', detail: e.message || 'managed there but no longer placed (Propagate deletes it)' };
    case 'error':
      if (e.reason === 'Cancelled') return { state: 'unchecked', outcome: 'cancelled', detail: failureDetail(e) };
      return { state: 'error', outcome: 'error', detail: failureDetail(e) };
  }
}

/** The live state one Compare entry tells; undefined without a resource id. */
export function liveStateOfEntry(e: DiffEntry, at: number): LiveState | undefined {
  if (!e.resourceId) return undefined;
  const v = entryView(e);
  return { resourceId: e.resourceId, cluster: e.cluster, state: v.state, outcome: v.outcome, at, source: 'compare', ...(v.detail ? { detail: v.detail } : {}) };
}

export function liveStatesOfPropagate(report: PropagateReport, at: number): LiveState[] {
  return report.outcomes.map((o) => liveStateOfOutcome(o, report.dryRun, at)).filter((l): l is LiveState => !!l);
}

export function liveStatesOfCompare(report: DiffReport, at: number): LiveState[] {
  return report.entries.map((e) => liveStateOfEntry(e, at)).filter((l): l is LiveState => !!l);
}

/** The live states by resource × cluster: the newest of each, at most `max` (the oldest go first). */
export class LiveStateStore {
  private readonly byKey = new Map<string, LiveState>();

  constructor(private readonly max = 200_000) {}

  /** Records the states of a run; a state replaces the one of the same resource and cluster. */
  record(states: readonly LiveState[]): void {
    for (const l of states) {
      const k = liveKey(l.resourceId, l.cluster);
      this.byKey.delete(k); // newest last
      this.byKey.set(k, l);
    }
    for (const k of this.byKey.keys()) {
      if (this.byKey.size <= this.max) break;
      this.byKey.delete(k);
    }
  }

  clear(): void {
    this.byKey.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): LiveState[] {
    return [...this.byKey.values()];
  }
}
