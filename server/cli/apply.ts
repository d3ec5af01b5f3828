/** kfed apply: send federated resources to the KubeFed host cluster, for its controller to propagate. */
import type { Parsed } from './args.ts';
import { flag } from './args.ts';
import { toJson } from './output.ts';
import { toCli } from './validate.ts';
import { openHost } from './host.ts';
import { EXIT_CANCELLED, positiveInt, type CliIO, type CommandResult } from './propagate.ts';
import { hostApplyPlan, describeHostRef, DEFAULT_APPLY_SET } from '../engine/hostApply.ts';
import { applyToHost, type HostApplyReport, type HostOutcome } from '../cluster/hostWrite.ts';

const WORDS: Record<HostOutcome['result'], [string, string]> = {
  created: ['created', 'would create'],
  configured: ['configured', 'would configure'],
  unchanged: ['unchanged', 'unchanged'],
  deleted: ['pruned', 'would prune'],
  failed: ['failed', 'would fail'],
  cancelled: ['cancelled', 'cancelled'],
};

function line(o: HostOutcome, dryRun: boolean): string {
  const where = o.uri !== undefined ? `  (${o.uri}:${(o.line ?? 0) + 1})` : '';
  const what = `${describeHostRef(o.ref)}${o.action === 'namespace' ? ' (host namespace)' : ''}`;
  const msg = o.message ? `: ${o.message}` : '';
  const conflicts = (o.conflicts ?? []).map((c) => `\n    conflict: ${c.field} owned by ${c.manager} (--force-conflicts takes it over)`).join('');
  return `${what} ${WORDS[o.result][dryRun ? 1 : 0]}${msg}${where}${conflicts}`;
}

export function formatApply(r: HostApplyReport, skipped: string[], pruneHeld: boolean): string {
  const lines: string[] = [];
  if (r.dryRun) lines.push('dry run (server): nothing was changed');
  for (const o of r.outcomes) lines.push(line(o, r.dryRun));
  lines.push(...skipped);
  if (pruneHeld) lines.push('prune not run: some objects failed, so nothing was deleted');
  const counts = new Map<string, number>();
  for (const o of r.outcomes) counts.set(WORDS[o.result][r.dryRun ? 1 : 0], (counts.get(WORDS[o.result][r.dryRun ? 1 : 0]) ?? 0) + 1);
  lines.push(`${r.outcomes.length} object(s): ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do'}${r.cancelled ? ' (cancelled)' : ''}`);
  return lines.join('\n') + '\n';
}

export async function applyCommand(p: Parsed, io: CliIO): Promise<CommandResult> {
  const format = flag(p, 'output') ?? 'text';
  const concurrency = positiveInt(p, 'concurrency', 8);
  const host = await openHost(p, { signal: io.signal });
  try {
    const err = host.warnings.map((w) => `warning: ${w}\n`).join('');
    const errors = host.inputs.flatMap((f) => host.ws.diagnostics(f.path)).map(toCli).filter((d) => d.severity === 'error');
    if (errors.length && !p.flags.has('force')) {
      const shown = errors.map((d) => `${d.file}:${d.line}:${d.column} error ${d.code} ${d.message}\n`).join('');
      return { out: '', err: `${err}${shown}kfed apply: ${errors.length} error(s) in the inputs (kfed validate shows them): nothing was applied. Fix them, or re-run with --force.\n`, exit: 1 };
    }
    const set = flag(p, 'set') ?? DEFAULT_APPLY_SET;
    const plan = hostApplyPlan(host.ws.analysis(), { set, controlPlane: p.flags.has('control-plane') });
    const dryRun = flag(p, 'dry-run') === 'server';
    const report = await applyToHost(host.client, plan, {
      dryRun,
      prune: p.flags.has('prune'),
      set,
      forceConflicts: p.flags.has('force-conflicts'),
      fieldManager: flag(p, 'field-manager'),
      concurrency,
      signal: io.signal,
      onOutcome: (o, done, total) => io.stderr?.(`[${done}/${total}] ${line(o, dryRun)}\n`),
    });
    const skipped = plan.skipped.map((s) => `${describeHostRef(s.ref)} skipped: ${s.why}  (${s.uri}:${s.line + 1})`);
    const pruneHeld = p.flags.has('prune') && report.failed && !report.outcomes.some((o) => o.action === 'prune');
    const out = format === 'json' ? toJson({ ...report, skipped: plan.skipped }) : formatApply(report, skipped, pruneHeld);
    return { out, err, exit: report.cancelled ? EXIT_CANCELLED : report.failed ? 1 : 0 };
  } finally {
    host.client.close();
  }
}
