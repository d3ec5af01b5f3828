/** `npm run bench`: engine numbers, then the language server against plain yaml-language-server. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatEngineBench, runEngineBench } from './engine.ts';

console.log(formatEngineBench(runEngineBench()));
for (const name of ['lsp.ts']) {
  const file = join(import.meta.dirname, name);
  if (existsSync(file)) await import(pathToFileURL(file).href);
}
