/**
 * What the language server may use of the `kubefed.*` settings, trusted or not (pure: no `vscode`,
 * so that it is tested on its own). In Restricted Mode (a folder VS Code does not trust) the server
 * reads no kubeconfig at all — a kubeconfig can name `exec` credential plugins, and the language
 * server must not even list its contexts — and a clusters file only inside the folder; every other
 * setting is data the language features need (cluster names and labels, strictness, masking).
 * Every answer the client gives the server (initializationOptions, workspace/configuration,
 * workspace/didChangeConfiguration) goes through `serverSettingsFor`.
 */
import { realpathSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import type { KubefedSettings } from './config.ts';

/** The settings as the language server gets them: `kubeconfig: false` = read no kubeconfig. */
export type ServerSettings = Omit<KubefedSettings, 'kubeconfig'> & { kubeconfig: string | false };

export interface TrustState {
  trusted: boolean;
  /** The workspace folders (file system paths). */
  folders: readonly string[];
  /** Makes a setting's path absolute (`~/`, relative to the first folder). */
  resolve: (p: string) => string;
}

export function serverSettingsFor(s: KubefedSettings, t: TrustState): ServerSettings {
  if (t.trusted) return s;
  const clustersFile = s.clustersFile && insideFolders(t.resolve(s.clustersFile), t.folders) ? t.resolve(s.clustersFile) : '';
  return { ...s, kubeconfig: false, hostCluster: '', clustersFile };
}

/** True when `path` (after symbolic links) lies in one of the folders (after theirs). */
export function insideFolders(path: string, folders: readonly string[]): boolean {
  const real = realOrSelf(path);
  return folders.some((f) => {
    const rel = relative(realOrSelf(f), real);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The answer to one workspace/configuration item, with the `kubefed` part replaced by what the
 * server may see: the section itself, one of its keys (`kubefed.x`), or the whole configuration.
 */
export function configurationItem(section: string | undefined, answer: unknown, safe: ServerSettings): unknown {
  if (section === 'kubefed') return safe;
  if (section?.startsWith('kubefed.')) return (safe as unknown as Record<string, unknown>)[section.slice('kubefed.'.length)] ?? null;
  if (section === undefined && answer && typeof answer === 'object') return { ...(answer as object), kubefed: safe };
  return answer;
}
