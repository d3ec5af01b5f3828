/**
 * kfed — KubeFed federated resources in the terminal and in CI.
 * Exit codes: 0 success; 1 findings (validate: an error diagnostic; render: an object cannot be
 * computed; schedule: an RSP without target); 2 usage or input error (unknown flag, unreadable file); 3 internal error.
 */
import { parseArgs, flag, flags, UsageError, type FlagSpec } from './args.ts';
import { buildContext } from './context.ts';
import { InputError, MAX_FILE_BYTES } from './files.ts';
import { validateCommand } from './validate.ts';
import { render } from './render.ts';
import { schedule } from './schedule.ts';
import { federate, convert } from './federate.ts';
import { propagateCommand, type CliIO } from './propagate.ts';
import { diffCommand } from './diff.ts';
import { applyCommand } from './apply.ts';
import { statusCommand } from './status.ts';
import { controllerCommand } from './controller.ts';

const VERSION = '0.1.0';

const COMMON: Record<string, FlagSpec> = {
  clusters: { value: true },
  kubeconfig: { value: true },
  help: { short: 'h' },
};

const CLUSTER_IO: Record<string, FlagSpec> = {
  ...COMMON,
  cluster: { value: true, repeat: true },
  'context-map': { value: true, repeat: true },
  'host-context': { value: true },
  output: { value: true, short: 'o', choices: ['text', 'json'] },
  concurrency: { value: true },
  'request-timeout': { value: true },
  'field-manager': { value: true },
};

const COMMANDS: Record<string, { summary: string; usage: string; flags: Record<string, FlagSpec> }> = {
  validate: {
    summary: 'check federated resources and report diagnostics',
    usage: 'kfed validate <files|dirs…> [--clusters FILE] [--kubeconfig FILE] [--offline] [--request-timeout 10s] [-o text|json|sarif]',
    flags: { ...COMMON, offline: {}, 'request-timeout': { value: true }, output: { value: true, short: 'o', choices: ['text', 'json', 'sarif'] } },
  },
  render: {
    summary: 'print the object each member cluster receives',
    usage: 'kfed render <files|dirs…> [--cluster NAME]… [--clusters FILE] [--kubeconfig FILE] [-o yaml|json] [--out-dir DIR]',
    flags: { ...COMMON, cluster: { value: true, repeat: true }, output: { value: true, short: 'o', choices: ['yaml', 'json'] }, 'out-dir': { value: true } },
  },
  schedule: {
    summary: 'show the replicas each ReplicaSchedulingPreference gives each cluster',
    usage: 'kfed schedule <files…> [--clusters FILE] [--kubeconfig FILE] [-o text|json]',
    flags: { ...COMMON, output: { value: true, short: 'o', choices: ['text', 'json'] } },
  },
  federate: {
    summary: 'turn plain Kubernetes objects into v1beta1 federated objects',
    usage: 'kfed federate <files…> [-o yaml|json]',
    flags: { help: { short: 'h' }, output: { value: true, short: 'o', choices: ['yaml', 'json'] } },
  },
  convert: {
    summary: 'convert v1alpha1 template/placement/override triples to v1beta1 objects',
    usage: 'kfed convert <files|dirs…> [-o yaml|json]',
    flags: { help: { short: 'h' }, output: { value: true, short: 'o', choices: ['yaml', 'json'] } },
  },
  propagate: {
    summary: 'push federated resources to the member clusters (server-side apply)',
    usage:
      'kfed propagate <files|dirs…> [--cluster NAME]… [--kubeconfig FILE] [--context-map CLUSTER=CONTEXT,…] [--host-context CONTEXT] [--clusters FILE] [--dry-run=server] [--prune] [--adopt] [--force-conflicts] [--force] [-o text|json] [--concurrency N] [--request-timeout 30s] [--field-manager NAME]',
    flags: { ...CLUSTER_IO, 'dry-run': { value: true, choices: ['server', 'none'] }, prune: {}, adopt: {}, 'force-conflicts': {}, force: {}, 'kubefed-namespace': { value: true } },
  },
  apply: {
    summary: 'apply federated resources to the KubeFed host cluster, for its controller to propagate',
    usage:
      'kfed apply <files|dirs…> --host-context CONTEXT [--kubeconfig FILE] [--clusters FILE] [--dry-run=server] [--prune] [--set NAME] [--control-plane] [--force] [--force-conflicts] [--kubefed-namespace NS] [-o text|json] [--concurrency N] [--request-timeout 30s] [--field-manager NAME]',
    flags: {
      ...COMMON,
      'host-context': { value: true },
      output: { value: true, short: 'o', choices: ['text', 'json'] },
      'dry-run': { value: true, choices: ['server', 'none'] },
      prune: {},
      set: { value: true },
      'control-plane': {},
      force: {},
      'force-conflicts': {},
      'kubefed-namespace': { value: true },
      concurrency: { value: true },
      'request-timeout': { value: true },
      'field-manager': { value: true },
    },
  },
  status: {
    summary: "show KubeFed's own status of each federated resource, read from the host",
    usage: 'kfed status [files|dirs…] --host-context CONTEXT [--kubeconfig FILE] [--kubefed-namespace NS] [--watch] [-o text|json] [--exit-code] [--request-timeout 30s]',
    flags: {
      ...COMMON,
      'host-context': { value: true },
      output: { value: true, short: 'o', choices: ['text', 'json'] },
      watch: { short: 'w' },
      'exit-code': {},
      'kubefed-namespace': { value: true },
      'request-timeout': { value: true },
    },
  },
  diff: {
    summary: 'compare what is desired with each member cluster, or two clusters',
    usage:
      'kfed diff <files|dirs…> [--cluster NAME]… [--between CLUSTER_A CLUSTER_B] [--kubeconfig FILE] [--context-map CLUSTER=CONTEXT,…] [--host-context CONTEXT] [--clusters FILE] [--adopt] [--kubefed] [-o text|json] [--exit-code] [--concurrency N] [--request-timeout 30s] [--field-manager NAME]',
    flags: { ...CLUSTER_IO, between: { value: true, repeat: true }, 'exit-code': {}, adopt: {}, kubefed: {} },
  },
  controller: {
    summary: "run the push reconciler (KubeFed's sync controller) for a KubeFed host until stopped",
    usage:
      'kfed controller --context CONTEXT [--kubeconfig FILE] [--kubefed-namespace NS] [--healthz-addr HOST:PORT] [--lease-name NAME] [--leader-elect-lease-duration 15s] [--leader-elect-renew-deadline 10s] [--leader-elect-retry-period 2s] [--resync-period 10m] [--request-timeout 30s]',
    flags: {
      kubeconfig: { value: true },
      help: { short: 'h' },
      context: { value: true },
      'kubefed-namespace': { value: true },
      'healthz-addr': { value: true },
      'lease-name': { value: true },
      'leader-elect-lease-duration': { value: true },
      'leader-elect-renew-deadline': { value: true },
      'leader-elect-retry-period': { value: true },
      'resync-period': { value: true },
      'request-timeout': { value: true },
    },
  },
};

/** Commands that talk to clusters: run() returns a Promise for them. */
const ASYNC_COMMANDS = ['propagate', 'diff', 'apply', 'status', 'validate', 'controller'] as const;
type AsyncCommand = (typeof ASYNC_COMMANDS)[number];

function help(): string {
  const lines = [
    `kfed ${VERSION} — KubeFed (Kubernetes Federation v2) federated resources, both API eras`,
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`),
    '',
    'Inputs: files, folders (*.yaml and *.yml; dependency, build and dot-folders skipped; files',
    `over ${MAX_FILE_BYTES / 1048576} MB not read) and - for standard input (positions <stdin>:line:col).`,
    '',
    'Clusters come from KubeFedCluster/FederatedCluster objects in the inputs, --clusters FILE',
    '(a YAML file of KubeFedCluster objects) and, for propagate and diff, --host-context (the',
    'KubeFedClusters of a KubeFed host); the contexts of --kubeconfig FILE are clusters only when',
    'none of these declares one.',
    'propagate and diff reach cluster NAME through the kubeconfig context NAME (or --context-map);',
    'validate --kubeconfig also checks templates against what each member serves (--offline: not).',
    'apply and status work with a KubeFed host (--host-context): apply writes the federated',
    'objects there for its controller to propagate; status shows what KubeFed reports of them.',
    'propagate refuses to write to the members while a KubeFed controller runs (--force overrides).',
    'Input files are never written.',
    '',
    'Exit codes: 0 ok, 1 findings (errors; diff --exit-code: differences; status --exit-code: not',
    'everything propagated), 2 usage or input error, 130 cancelled (propagate, diff, apply).',
    'controller: 0 stopped by SIGINT/SIGTERM, 1 lease lost or host unreadable, 2 refused (KubeFed\'s',
    'own controller-manager runs).',
  ];
  return lines.join('\n') + '\n';
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exit: number;
}

/**
 * Runs one kfed command. Synchronous, except the commands that talk to clusters (propagate, diff, apply, status, validate):
 * for those it returns a Promise.
 */
export function run(argv: readonly [AsyncCommand, ...string[]], io?: CliIO): Promise<CliResult>;
export function run(argv: readonly string[], io?: CliIO): CliResult;
export function run(argv: readonly string[], io: CliIO = {}): CliResult | Promise<CliResult> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') return { stdout: help(), stderr: '', exit: cmd ? 0 : 2 };
  if (cmd === '--version' || cmd === 'version') return { stdout: `kfed ${VERSION}\n`, stderr: '', exit: 0 };
  const spec = COMMANDS[cmd];
  if (!spec) return { stdout: '', stderr: `kfed: unknown command "${cmd}"\n\n${help()}`, exit: 2 };
  try {
    const p = parseArgs(rest, spec.flags);
    if (p.flags.has('help')) return { stdout: `Usage: ${spec.usage}\n`, stderr: '', exit: 0 };
    if ((ASYNC_COMMANDS as readonly string[]).includes(cmd)) {
      const commands = { propagate: propagateCommand, diff: diffCommand, apply: applyCommand, status: statusCommand, validate: validateCommand, controller: controllerCommand };
      const pending = commands[cmd as AsyncCommand](p, io);
      return pending.then(
        (r) => ({ stdout: r.out, stderr: r.err, exit: r.exit }),
        (e: unknown) => {
          if (e instanceof UsageError) return { stdout: '', stderr: `kfed ${cmd}: ${e.message}\nUsage: ${spec.usage}\n`, exit: 2 };
          if (e instanceof InputError) return { stdout: '', stderr: `kfed ${cmd}: ${e.message}\n`, exit: 2 };
          throw e;
        },
      );
    }
    const ctx = buildContext(p);
    const warn = ctx.warnings.map((w) => `warning: ${w}\n`).join('');
    const format = flag(p, 'output');
    switch (cmd) {
      case 'render': {
        const r = render(ctx, { clusters: flags(p, 'cluster'), format: format ?? 'yaml', outDir: flag(p, 'out-dir') });
        return { stdout: r.out, stderr: warn + r.err, exit: r.exit };
      }
      case 'schedule': {
        const r = schedule(ctx, format ?? 'text');
        return { stdout: r.out, stderr: warn, exit: r.exit };
      }
      case 'federate': {
        const r = federate(ctx, format ?? 'yaml');
        return { stdout: r.out, stderr: warn + r.err, exit: r.exit };
      }
      case 'convert': {
        const r = convert(ctx, format ?? 'yaml');
        return { stdout: r.out, stderr: warn + r.err, exit: r.exit };
      }
    }
    return { stdout: '', stderr: `kfed: unknown command "${cmd}"\n`, exit: 2 };
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `kfed ${cmd}: ${e.message}\nUsage: ${spec.usage}\n`, exit: 2 };
    if (e instanceof InputError) return { stdout: '', stderr: `kfed ${cmd}: ${e.message}\n`, exit: 2 };
    throw e;
  }
}
