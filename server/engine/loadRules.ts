/**
 * Which files make up a workspace — one set of rules for the language server, `kfed` and the
 * extension's Propagate / Compare, so the editor never propagates YAML that diagnostics and `kfed`
 * ignore. Pure: the file system is walked in server/files (and by VS Code's findFiles in the client).
 */

/** Folders never entered (besides every folder whose name starts with a dot). */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git', 'dist', 'out', '.cache', '.artifacts', '.vscode-test', 'vendor'];

/** Files above this size are not read (reported, never parsed). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The file kinds a workspace holds. */
export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name.replace(/[?#].*$/, ''));
}

/** A folder that is never entered: a dependency or build folder, or a hidden one. */
export function isSkippedFolderName(name: string): boolean {
  return SKIPPED_FOLDERS.includes(name) || name.startsWith('.');
}

/** Whether a path relative to a workspace folder lies inside a skipped folder. */
export function inSkippedFolder(relativePath: string): boolean {
  const segs = relativePath.split(/[\\/]/).filter(Boolean);
  return segs.slice(0, -1).some(isSkippedFolderName);
}

/** The same rule as an exclude glob (VS Code's findFiles). */
export const EXCLUDE_GLOB = `{${[...SKIPPED_FOLDERS.filter((n) => !n.startsWith('.')), '.*'].map((n) => `**/${n}/**`).join(',')}}`;

/** The message for a file over the limit, or undefined when it may be read. */
export function tooLarge(path: string, size: number): string | undefined {
  if (size <= MAX_FILE_BYTES) return undefined;
  return `${path}: file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB (it is not read)`;
}
