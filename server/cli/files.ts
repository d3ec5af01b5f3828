/** Reading the files and folders named on the command line (never writing them). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from './args.ts';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

export interface InputFile {
  /** Path as shown to the user (relative to the working directory when inside it). */
  path: string;
  text: string;
}

export function isYamlName(name: string): boolean {
  return /\.(ya?ml)$/i.test(name);
}

/** Expands files and folders (recursively, *.yaml and *.yml) and reads them. */
export function readInputs(paths: string[], cwd = process.cwd()): InputFile[] {
  if (paths.length === 0) throw new UsageError('no input files or folders given');
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const visit = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new InputError(`${p}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        const child = join(p, name);
        const cst = statSync(child);
        if (cst.isDirectory() || isYamlName(name)) visit(child, false);
      }
      return;
    }
    if (!explicit && !isYamlName(p)) return;
    if (seen.has(p)) return;
    seen.add(p);
    if (st.size > MAX_FILE_BYTES) throw new InputError(`${p}: file is ${(st.size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB`);
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      throw new InputError(`${p}: cannot read: ${(e as Error).message}`);
    }
    const rel = relative(cwd, p);
    out.push({ path: rel && !rel.startsWith('..') ? rel : p, text });
  };
  for (const p of paths) visit(p, true);
  return out;
}

export class InputError extends Error {}
