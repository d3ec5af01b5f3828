/** kfed validate: diagnostics of every input file. */
import type { Context } from './context.ts';
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
