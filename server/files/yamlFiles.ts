/**
 * The workspace loader on the file system, by the rules of engine/loadRules.ts: finding YAML files
 * under folders and reading one within the size limit. Used by the language server and `kfed`.
 */
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSkippedFolderName, isYamlName, tooLarge } from '../engine/loadRules.ts';
import { decodeUtf8 } from '../engine/text.ts';

const MAX_DEPTH = 20;

/** Every YAML file under `dir` (sorted per folder), skipping the skipped folders. */
export async function findYamlFiles(dir: string, token?: { cancelled: boolean }, out: string[] = [], depth = 0): Promise<string[]> {
  if (depth > MAX_DEPTH || token?.cancelled) return out;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!isSkippedFolderName(e.name)) await findYamlFiles(join(dir, e.name), token, out, depth + 1);
    } else if (e.isFile() && isYamlName(e.name)) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

/** The same, synchronously (`kfed`). */
export function findYamlFilesSync(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > MAX_DEPTH) return out;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.isDirectory()) {
      if (!isSkippedFolderName(e.name)) findYamlFilesSync(join(dir, e.name), out, depth + 1);
    } else if (e.isFile() && isYamlName(e.name)) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

/** The text of a file; `notUtf8At`: where it stops being UTF-8 (engine decodeUtf8), for Workspace.setFile. */
export type ReadResult = { text: string; notUtf8At?: number } | { error: string };

function decoded(bytes: Uint8Array): { text: string; notUtf8At?: number } {
  const d = decodeUtf8(bytes);
  return d.notUtf8At === undefined ? { text: d.text } : { text: d.text, notUtf8At: d.notUtf8At };
}

/** Reads one file within the size limit; never throws. */
export async function readYamlFile(path: string): Promise<ReadResult> {
  try {
    const st = await fs.stat(path);
    if (!st.isFile()) return { error: `${path}: not a file` };
    const big = tooLarge(path, st.size);
    if (big) return { error: big };
    return decoded(await fs.readFile(path));
  } catch (e) {
    return { error: `${path}: cannot read: ${describe(e)}` };
  }
}

/** The same, synchronously (`kfed`). */
export function readYamlFileSync(path: string): ReadResult {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { error: `${path}: not a file` };
    const big = tooLarge(path, st.size);
    if (big) return { error: big };
    return decoded(readFileSync(path));
  } catch (e) {
    return { error: `${path}: cannot read: ${describe(e)}` };
  }
}

function describe(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String((e as Error).message ?? e);
}
