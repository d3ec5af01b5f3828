/** Serialising objects for the terminal. */
import { stringify } from 'yaml';

export function toYaml(o: unknown): string {
  return stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function toJson(o: unknown): string {
  return JSON.stringify(o, null, 2) + '\n';
}

/** Several YAML documents separated by `---`, each optionally preceded by a comment line. */
export function yamlStream(docs: { comment?: string; object: unknown }[]): string {
  return docs.map((d) => `---\n${d.comment ? `# ${d.comment}\n` : ''}${toYaml(d.object)}`).join('');
}
