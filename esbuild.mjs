// Bundles the language server, the CLI and the VS Code client into dist/.
//   node esbuild.mjs            build everything once
//   node esbuild.mjs --watch    rebuild on change
//   node esbuild.mjs --dev      no minification (faster, readable stack traces)
//   node esbuild.mjs server     only some bundles (server, cli, client)
import * as esbuild from 'esbuild';
import { buildWebview } from './webview/build.mjs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');
const dist = join(root, 'dist');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // yaml-language-server depends on jsonc-parser, whose UMD "main" entry breaks when bundled:
  // prefer the ESM "module" entry of every package.
  mainFields: ['module', 'main'],
  minify: !dev,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  // `import.meta.url` does not exist in CommonJS output; map it to the bundle's own URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'var __importMetaUrl=require("url").pathToFileURL(__filename).href;' },
};

const entries = [
  // The server's cluster code (member schemas) is its own bundle too, loaded when clusters are configured.
  { name: 'server', in: 'server/lsp/server.ts', out: 'server.js', options: { external: ['./serverClusters.js'] } },
  { name: 'server', in: 'server/lsp/serverClusters.ts', out: 'serverClusters.js', options: {} },
  { name: 'cli', in: 'server/cli/main.ts', out: 'cli.js', options: { banner: { js: '#!/usr/bin/env node\n' + common.banner.js } } },
  // The cluster code (client-node) is its own bundle, loaded on first use: activation stays small.
  { name: 'client', in: 'client/extension.ts', out: 'client.js', options: { external: ['vscode', './clusterModule.js'] } },
  { name: 'client', in: 'client/clusterModule.ts', out: 'clusterModule.js', options: { external: ['vscode'] } },
];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));

mkdirSync(dist, { recursive: true });
// The root package is ESM ("type": "module"); the bundles are CommonJS.
writeFileSync(join(dist, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');

const builds = [];
for (const e of entries) {
  if (wanted.length && !wanted.includes(e.name)) continue;
  if (!existsSync(join(root, e.in))) {
    console.log(`skip ${e.in} (not present)`);
    continue;
  }
  builds.push({ ...common, ...e.options, entryPoints: [e.in], outfile: join(dist, e.out) });
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('watching…');
} else {
  const t0 = Date.now();
  // each bundle on its own: one that fails to build does not stop the others
  const results = await Promise.allSettled(builds.map((b) => esbuild.build(b)));
  const built = builds.filter((_, i) => results[i].status === 'fulfilled').map((b) => 'dist/' + b.outfile.split(/[\\/]/).pop());
  if (!wanted.length || wanted.includes('webview')) {
    // The placement webview: browser code, its stylesheet and the codicon font.
    try {
      await buildWebview({ dev });
      built.push('dist/webview/main.js');
    } catch (e) {
      console.error(`webview: ${e.message}`);
      process.exitCode = 1;
    }
  }
  console.log(`built ${built.join(', ') || 'nothing'} in ${Date.now() - t0} ms`);
  const failed = builds.filter((_, i) => results[i].status === 'rejected');
  if (failed.length) {
    console.error(`failed: ${failed.map((b) => b.entryPoints[0]).join(', ')}`);
    process.exitCode = 1;
  }
}
