/**
 * kfed validate: diagnostics of every input file. With `--kubeconfig`, templates are also checked
 * against what each member cluster they are placed on serves (its version's schemas and CRDs),
 * read through server/cluster/schemas.ts and cached like in the editor; `--offline` skips that.
 */
import type { Context } from './context.ts';
import { buildContext } from './context.ts';
import { flag, type Parsed } from './args.ts';
import { loadKubeconfig } from '../cluster/kubeconfig.ts';
import { Connections } from '../cluster/client.ts';
import { memberSchemas } from '../cluster/schemas.ts';
import { timeoutMs, type CliIO, type CommandResult } from './propagate.ts';
import type { EngineDiagnostic } from '../engine/diagnostics.ts';
import { DIAGNOSTIC_CODES } from '../engine/diagnostics.ts';
import { toJson } from './output.ts';

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export function toCli(d: EngineDiagnostic): CliDiagnostic {
  return {
    file: d.uri,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

/** Seconds to wait for a member's API server when reading its schemas (`--request-timeout`). */
const SCHEMA_TIMEOUT_MS = 10_000;

export async function validateCommand(p: Parsed, io: CliIO): Promise<CommandResult> {
  const ctx = buildContext(p);
  let err = ctx.warnings.map((w) => `warning: ${w}\n`).join('');
  const kubeconfig = flag(p, 'kubeconfig');
  if (kubeconfig && !p.flags.has('offline')) err += await readMemberSchemas(ctx, kubeconfig, timeoutMs(p) ?? SCHEMA_TIMEOUT_MS, io.signal);
  const r = validate(ctx, flag(p, 'output') ?? 'text');
  return { out: r.out, err, exit: r.exit };
}

/**
 * Gives the workspace the schemas of every member that answers; the others are notes, never
 * findings (the template is then checked as without clusters).
 */
async function readMemberSchemas(ctx: Context, path: string, timeout: number, signal?: AbortSignal): Promise<string> {
  const members = ctx.ws.clusters();
  if (!members.length) return '';
  const kc = loadKubeconfig({ path });
  const contextMap = new Map(members.filter((c) => c.context).map((c) => [c.name, c.context!]));
  const connections = new Connections(kc, { contextMap, timeoutMs: timeout });
  try {
    const r = await memberSchemas(connections, members.map((c) => c.name), { signal });
    // No reference schemas: kfed does not validate templates with the pinned ones itself.
    ctx.ws.setClusterSchemas(r.sets);
    return r.problems.map((x) => `note: no schemas of cluster ${x.cluster} (templates are not checked against it): ${x.message}\n`).join('');
  } finally {
    connections.close();
  }
}

export function validate(ctx: Context, format: string): { out: string; exit: number } {
  const all = ctx.inputs.flatMap((f) => ctx.ws.diagnostics(f.path)).map(toCli);
  const exit = all.some((d) => d.severity === 'error') ? 1 : 0;
  if (format === 'json') return { out: toJson(all), exit };
  if (format === 'sarif') return { out: toJson(sarif(all)), exit };
  const lines = all.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
  const n = (s: string) => all.filter((d) => d.severity === s).length;
  const summary = `${ctx.inputs.length} file${ctx.inputs.length === 1 ? '' : 's'}, ${ctx.ws.resources().length} federated resource${ctx.ws.resources().length === 1 ? '' : 's'}: ${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} info`;
  return { out: [...lines, summary].join('\n') + '\n', exit };
}

function sarif(all: CliDiagnostic[]) {
  const codes = [...new Set(all.map((d) => d.code))].sort();
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'kfed',
            informationUri: 'https://github.com/kubernetes-sigs/kubefed',
            rules: codes.map((id) => ({ id, shortDescription: { text: DIAGNOSTIC_CODES[id as keyof typeof DIAGNOSTIC_CODES] ?? id } })),
          },
        },
        results: all.map((d) => ({
          ruleId: d.code,
          level: d.severity === 'info' ? 'note' : d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
