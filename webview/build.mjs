// Bundles the placement webview for the browser:
//   webview/main.ts                → dist/webview/main.js (+ .map)
//   webview/styles.css             → dist/webview/styles.css
//   @vscode/codicons codicon.css/.ttf → dist/webview/
//
//   node webview/build.mjs [--dev] [--watch]
// or from another script: `import { buildWebview } from './webview/build.mjs'; await buildWebview({ dev })`.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, watch as watchFile } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The files copied next to the bundle (source → name in dist/webview). */
export function assets(base = root) {
  const require = createRequire(join(base, 'package.json'));
  const codicons = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  return [
    [join(base, 'webview', 'styles.css'), 'styles.css'],
    [join(codicons, 'codicon.css'), 'codicon.css'],
    [join(codicons, 'codicon.ttf'), 'codicon.ttf'],
  ];
}

/** @returns {import('esbuild').BuildOptions} */
export function webviewOptions({ base = root, dev = false } = {}) {
  return {
    absWorkingDir: base,
    entryPoints: [join(base, 'webview', 'main.ts')],
    outfile: join(base, 'dist', 'webview', 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // VS Code >= 1.91 runs webviews in Electron 29 (Chromium 122).
    target: ['chrome114'],
    minify: !dev,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  };
}

function copyAssets(base, outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const [from, name] of assets(base)) copyFileSync(from, join(outDir, name));
}

/**
 * Builds the webview once (or keeps rebuilding with `watch`). Resolves with the output folder.
 * @param {{ base?: string, dev?: boolean, watch?: boolean }} [options]
 */
export async function buildWebview({ base = root, dev = false, watch = false } = {}) {
  const outDir = join(base, 'dist', 'webview');
  copyAssets(base, outDir);
  const options = webviewOptions({ base, dev });
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    watchFile(join(base, 'webview', 'styles.css'), () => copyAssets(base, outDir));
  } else {
    await esbuild.build(options);
  }
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = Date.now();
  const watch = process.argv.includes('--watch');
  buildWebview({ dev: process.argv.includes('--dev'), watch }).then(
    (out) => console.log(`${watch ? 'watching' : 'built'} ${out.slice(root.length + 1)}/main.js in ${Date.now() - t0} ms`),
    (err) => {
      console.error(err?.message ?? err);
      process.exit(1);
    },
  );
}
