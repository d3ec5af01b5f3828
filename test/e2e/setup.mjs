// Installs what the end-to-end tests (and `npm start`) need to run a real VS Code offline:
// code-server (VS Code in the browser, from the npm registry) into a cache folder outside the
// repo, reused when present, and checks for the system packages (Chromium, and libkrb5-dev to
// build code-server's kerberos module). Missing system packages are installed with apt-get when
// running as root, otherwise named and the script fails.
//
//   node test/e2e/setup.mjs            install when missing, print the paths as JSON
//   node test/e2e/setup.mjs --print    only print the paths (and whether they are present)
//
// Layout: ${XDG_CACHE_HOME:-~/.cache}/kubefed-tools/code-server-<version>/
//   node24/        the `node@24` npm package (code-server >= 4.1xx refuses Node 20)
//   cs/            `code-server@<version>` installed with that Node
//   .complete      written last; its presence means the folder is usable
// Override the cache root with KFED_CACHE_DIR, Chromium with KFED_CHROMIUM.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export function cacheRoot() {
  if (process.env.KFED_CACHE_DIR) return process.env.KFED_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'kubefed-tools');
}

export function chromiumPath() {
  if (process.env.KFED_CHROMIUM) return process.env.KFED_CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome']) {
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Where everything is (or would be). */
export function paths() {
  const dir = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const node = join(dir, 'node24', 'node_modules', 'node', 'bin', 'node');
  const codeServer = join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return {
    dir,
    version: CODE_SERVER_VERSION,
    node,
    codeServer,
    chromium: chromiumPath(),
    present: existsSync(join(dir, '.complete')) && existsSync(node) && existsSync(codeServer),
  };
}

function log(line) {
  console.error(`[e2e setup] ${line}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function missingSystemPackages(needBuild) {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (needBuild && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  return missing;
}

function ensureSystemPackages(needBuild) {
  const missing = missingSystemPackages(needBuild);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt && process.env.KFED_NO_APT !== '1') {
    log(`installing system packages: ${missing.join(' ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    const still = missingSystemPackages(needBuild);
    if (still.length === 0) return;
    missing.splice(0, missing.length, ...still);
  }
  throw new Error(
    `missing system package(s): ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}` +
      (missing.includes('chromium') ? ' (or point KFED_CHROMIUM at a Chromium/Chrome binary)' : ''),
  );
}

/** Installs code-server (and Node 24 to run it) unless cached. Returns paths(). */
export function ensureCodeServer() {
  const p = paths();
  ensureSystemPackages(!p.present);
  if (p.present) return p;

  const t0 = Date.now();
  mkdirSync(cacheRoot(), { recursive: true });
  const tmp = `${p.dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'node24'), { recursive: true });
  mkdirSync(join(tmp, 'cs'), { recursive: true });
  // A private npm cache is not needed; the user's one is reused. No lockfile, no audit, no funding.
  const npmFlags = ['--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];

  log(`installing node@${NODE24_VERSION} (to run code-server) into ${tmp}`);
  writeFileSync(join(tmp, 'node24', 'package.json'), '{"private":true}\n');
  run('npm', ['install', ...npmFlags, `node@${NODE24_VERSION}`], { cwd: join(tmp, 'node24') });
  const node24Bin = join(tmp, 'node24', 'node_modules', 'node', 'bin');
  if (!existsSync(join(node24Bin, 'node'))) throw new Error(`node@${NODE24_VERSION} did not install a binary at ${node24Bin}/node`);
  const headers = findHeaders(join(tmp, 'node24', 'node_modules'));

  log(`installing code-server@${CODE_SERVER_VERSION} with Node 24 (about 2 minutes on 2 cores)`);
  writeFileSync(join(tmp, 'cs', 'package.json'), '{"private":true}\n');
  const env = {
    ...process.env,
    PATH: `${node24Bin}:${process.env.PATH}`,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
  };
  if (headers) env.npm_config_nodedir = headers;
  delete env.npm_config_node_gyp;
  // Under `npm test` these name the Node that runs npm (20): code-server's postinstall script
  // reads the Node version from npm's user agent, and a user agent inherited from the outer npm
  // would be taken over by the inner one.
  delete env.npm_config_user_agent;
  env.NODE = join(node24Bin, 'node');
  env.npm_node_execpath = join(node24Bin, 'node');
  run('npm', ['install', ...npmFlags, `code-server@${CODE_SERVER_VERSION}`], { cwd: join(tmp, 'cs'), env });
  if (!existsSync(join(tmp, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error('code-server installed without out/node/entry.js');
  }
  rmSync(p.dir, { recursive: true, force: true });
  renameSync(tmp, p.dir);
  writeFileSync(join(p.dir, '.complete'), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION, at: new Date().toISOString() }) + '\n');
  log(`code-server ${CODE_SERVER_VERSION} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return paths();
}

/** The folder holding include/node/node_api.h inside the node@24 package (a node-<platform> dependency). */
function findHeaders(nodeModules) {
  const candidates = [];
  const walk = (dir, depth) => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const d = join(dir, e.name);
      if (existsSync(join(d, 'include', 'node', 'node_api.h'))) candidates.push(d);
      else if (e.name === 'node_modules' || e.name.startsWith('node')) walk(d, depth + 1);
    }
  };
  walk(nodeModules, 0);
  return candidates[0];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const p = process.argv.includes('--print') ? paths() : ensureCodeServer();
    console.log(JSON.stringify(p));
  } catch (err) {
    console.error(`[e2e setup] ${err.message}`);
    process.exit(1);
  }
}
