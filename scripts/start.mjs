// `npm start`: builds the bundles and shows the product on its embedded default, the sample
// federation in samples/workspace (three clusters, both API eras): diagnostics, what every
// cluster receives, and the replica schedule.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sample = 'samples/workspace';

function run(title, cmd, args, { allowExit = [0] } = {}) {
  console.log(`\n$ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (!allowExit.includes(r.status)) {
    console.error(`npm start: "${title}" failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

run('node esbuild.mjs', process.execPath, ['esbuild.mjs']);
const kfed = (args, opts) => run(`kfed ${args.join(' ')}`, process.execPath, ['dist/cli.js', ...args], opts);
kfed(['validate', sample], { allowExit: [0, 1] });
kfed(['schedule', sample]);
kfed(['render', sample, '--cluster', 'cluster2']);
console.log(`\nTry: npx kfed render ${sample} --cluster cluster1 -o json   |   npx kfed convert ${sample}/v1alpha1`);
