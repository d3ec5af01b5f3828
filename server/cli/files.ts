/**
 * Reading the files and folders named on the command line (never writing them), by the
 * workspace loader's rules (server/files/yamlFiles.ts). `-` is standard input, shown as `<stdin>`
 * (`helm template … | kfed validate -`).
 */
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { UsageError } from './args.ts';
import { isYamlName, MAX_FILE_BYTES, tooLarge } from '../engine/loadRules.ts';
import { findYamlFilesSync, readYamlFileSync } from '../files/yamlFiles.ts';
import { decodeUtf8 } from '../engine/text.ts';

export { isYamlName, MAX_FILE_BYTES };

/** How standard input is named in messages and positions. */
export const STDIN_NAME = '<stdin>';

export interface InputFile {
  /** Path as shown to the user (relative to the working directory when inside it). */
  path: string;
  text: string;
  /** Where the file stops being UTF-8 (Workspace.setFile reports it). */
  notUtf8At?: number;
}

export class InputError extends Error {}

function readStdin(): InputFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(0);
  } catch (e) {
    throw new InputError(`${STDIN_NAME}: cannot read: ${(e as Error).message}`);
  }
  const big = tooLarge(STDIN_NAME, bytes.byteLength);
  if (big) throw new InputError(big);
  const { text, notUtf8At } = decodeUtf8(bytes);
  return notUtf8At === undefined ? { path: STDIN_NAME, text } : { path: STDIN_NAME, text, notUtf8At };
}

/** Expands files and folders (recursively, *.yaml and *.yml; `-` = standard input) and reads them. */
export function readInputs(paths: string[], cwd = process.cwd()): InputFile[] {
  if (paths.length === 0) throw new UsageError('no input files or folders given');
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const shown = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') ? rel : p;
  };
  const read = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const r = readYamlFileSync(p);
    if ('error' in r) throw new InputError(r.error);
    out.push({ path: shown(p), text: r.text, ...(r.notUtf8At === undefined ? {} : { notUtf8At: r.notUtf8At }) });
  };
  for (const p of paths) {
    if (p === '-') {
      if (!seen.has(p)) out.push(readStdin());
      seen.add(p);
      continue;
    }
    let dir: boolean;
    try {
      dir = statSync(p).isDirectory();
    } catch (e) {
      throw new InputError(`${p}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
    }
    if (dir) for (const f of findYamlFilesSync(p)) read(f);
    else read(p);
  }
  return out;
}
