import type { BuildOptions } from 'esbuild';

/** The files copied next to the bundle: [source path, name in dist/webview]. */
export function assets(base?: string): [string, string][];
export function webviewOptions(options?: { base?: string; dev?: boolean }): BuildOptions;
/** Builds dist/webview/ (once, or keeps rebuilding with `watch`); resolves with the output folder. */
export function buildWebview(options?: { base?: string; dev?: boolean; watch?: boolean }): Promise<string>;
