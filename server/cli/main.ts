/** Entry point of the `kfed` command (bundled to dist/cli.js). */
import { run, type CliResult } from './run.ts';

// Ctrl+C cancels a running propagate/diff (outcomes so far are still reported); a second one quits.
const controller = new AbortController();
const onSigint = () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('kfed: cancelling… (Ctrl+C again to quit at once)\n');
  controller.abort();
};
process.on('SIGINT', onSigint);

async function main(): Promise<void> {
  let r: CliResult | undefined;
  try {
    r = await run(process.argv.slice(2) as string[], { stderr: (s) => process.stderr.write(s), signal: controller.signal });
  } catch (e) {
    process.stderr.write(`kfed: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  }
  if (r) {
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    process.exitCode = r.exit;
  }
  process.off('SIGINT', onSigint);
}

void main();
