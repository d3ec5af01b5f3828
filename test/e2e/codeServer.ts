/**
 * code-server with this extension, for the end-to-end tests and for `npm start`: installed by
 * ./setup.mjs into a cache folder outside the repo, run with a fresh user-data and extensions
 * folder (the extension is the repo itself, linked in), bound to 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
export const EXTENSION_ID = `${PKG.publisher}.${PKG.name}`;

export interface SetupPaths {
  dir: string;
  version: string;
  node: string;
  codeServer: string;
  chromium?: string;
  present: boolean;
}

/** Where setup.mjs installed code-server (installs it when missing). */
export function setupPaths(): SetupPaths {
  let r = spawnSync(process.execPath, [join(ROOT, 'test/e2e/setup.mjs'), '--print'], { encoding: 'utf8' });
  let p = JSON.parse(r.stdout) as SetupPaths;
  if (!p.present || !p.chromium) {
    r = spawnSync(process.execPath, [join(ROOT, 'test/e2e/setup.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('test/e2e/setup.mjs failed (see above): code-server or a system package is missing');
    p = JSON.parse(r.stdout) as SetupPaths;
  }
  return p;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServerOptions {
  /** A folder (relative to the repo or absolute) copied as the workspace. Default: an empty one. */
  workspace?: string;
  /** Extra files to write into the workspace copy: relative path -> text. */
  files?: Record<string, string>;
  /** Workspace settings (.vscode/settings.json). */
  settings?: Record<string, unknown>;
  /** Extra user settings. */
  userSettings?: Record<string, unknown>;
  /** Name used for artifacts. */
  name: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Install this .vsix (with code-server --install-extension) instead of linking the repo. */
  vsix?: string;
  /**
   * Workspace trust as a real VS Code has it: the folder opens untrusted (Restricted Mode, without
   * the startup dialog) until trusted in the workspace trust editor. Default: trust is disabled
   * (every folder is trusted), as the other tests want.
   */
  workspaceTrust?: boolean;
  log?: (line: string) => void;
}

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  tmp: string;
  /** The extensions folder. */
  extensions: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts code-server with the extension (the repo folder, symlinked into a fresh extensions dir). */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const paths = setupPaths();
  if (!existsSync(join(ROOT, 'dist/client.js')) || !existsSync(join(ROOT, 'dist/server.js'))) {
    throw new Error('dist/client.js or dist/server.js is missing: run `npm run build` first');
  }
  // The placement view's UI (webview/), when the build did not make it.
  if (!existsSync(join(ROOT, 'dist/webview/main.js')) && existsSync(join(ROOT, 'webview/build.mjs'))) {
    const { buildWebview } = (await import('../../webview/build.mjs')) as { buildWebview: (o?: { dev?: boolean }) => Promise<string> };
    await buildWebview();
  }
  const tmp = mkdtempSync(join(tmpdir(), 'kubefed-e2e-'));
  const ud = join(tmp, 'user-data');
  const ext = join(tmp, 'extensions');
  const workspace = join(tmp, 'workspace');
  for (const d of [ud, join(ud, 'User'), ext, join(tmp, 'xdg-config'), join(tmp, 'xdg-data'), workspace]) mkdirSync(d, { recursive: true });
  const env = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data'), NODE_OPTIONS: '' };
  if (opts.vsix) {
    const r = spawnSync(paths.node, [paths.codeServer, '--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', opts.vsix], { cwd: tmp, env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${opts.vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
    }
  } else {
    // The extension: the repo itself (package.json, dist/, syntaxes/, client/media/).
    symlinkSync(ROOT, join(ext, `${EXTENSION_ID}-${PKG.version}`), 'dir');
  }
  if (opts.workspace) cpSync(join(opts.workspace.startsWith('/') ? '' : ROOT, opts.workspace), workspace, { recursive: true });
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), text);
  }
  if (opts.settings) {
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }
  writeFileSync(
    join(ud, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'chat.disableAIFeatures': true,
        'security.workspace.trust.enabled': !!opts.workspaceTrust,
        ...(opts.workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {}),
        'update.mode': 'none',
        'window.restoreWindows': 'none',
        ...opts.userSettings,
      },
      null,
      2,
    ),
  );
  const port = opts.port ?? (await freePort());
  const cfg = join(tmp, 'config.yaml');
  writeFileSync(cfg, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    paths.codeServer,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', ud,
    '--extensions-dir', ext,
    '--config', cfg,
    '--ignore-last-opened',
  ];
  let out = '';
  const proc = spawn(paths.node, args, {
    cwd: tmp,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const collect = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  let exited: number | null | undefined;
  proc.on('exit', (code) => (exited = code ?? -1));
  // Never leave code-server behind, even when this process ends without calling stop().
  const killGroup = () => {
    if (exited === undefined && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.once('exit', killGroup);
  const stop = async () => {
    process.off('exit', killGroup);
    if (exited === undefined && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // gone
      }
      const t0 = Date.now();
      while (exited === undefined && Date.now() - t0 < 5000) await sleep(100);
      if (exited === undefined) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const t0 = Date.now();
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`code-server exited (${exited}) before it was ready:\n${out.slice(-3000)}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > 60_000) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${out.slice(-3000)}`);
    }
    await sleep(200);
  }
  opts.log?.(`code-server ${paths.version} on 127.0.0.1:${port} in ${Date.now() - t0} ms`);
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, port, workspace, tmp, extensions: ext, proc, output: () => out, stop };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

