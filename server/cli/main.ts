/** Entry point of the `kfed` command (bundled to dist/cli.js). */
import { run, type CliResult } from './run.ts';

let r: CliResult | undefined;
try {
  r = run(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`kfed: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 3;
}
if (r) {
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.exit;
}
