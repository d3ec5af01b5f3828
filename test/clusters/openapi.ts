/**
 * Writes the OpenAPI v3 documents of a real kube-apiserver (the pinned version, started here
 * with the launcher) into server/schemas/k8s/: one file per group-version, named
 * `<group>.<version>.json` (`core.v1.json` for the legacy core group), plus `VERSION`.
 *
 *   node --import tsx test/clusters/openapi.ts [--out DIR] [--strip-paths]
 *
 * The documents are written as served (pretty-printed). With --strip-paths, or when the files
 * would exceed 15 MB in all, only `components.schemas` (with their descriptions) is kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFederation } from './launcher.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Group-versions to export, as `/openapi/v3` names them. */
export const GROUP_VERSIONS = [
  'api/v1',
  'apis/apps/v1',
  'apis/batch/v1',
  'apis/networking.k8s.io/v1',
  'apis/rbac.authorization.k8s.io/v1',
  'apis/policy/v1',
  'apis/autoscaling/v2',
];

const LIMIT_BYTES = 15 * 1024 * 1024;

export function fileName(gv: string): string {
  if (gv === 'api/v1') return 'core.v1.json';
  const [, group, version] = gv.split('/');
  return `${group}.${version}.json`;
}

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'strip-paths': { type: 'boolean', default: false } },
});
const outDir = values.out ?? join(repoRoot, 'server', 'schemas', 'k8s');

const fed = await startFederation({ clusters: ['openapi'], kubefed: false, log: (l) => console.error(`[openapi] ${l}`) });
try {
  const index = await fed.request('openapi', 'GET', '/openapi/v3');
  if (index.status !== 200) throw new Error(`/openapi/v3 -> ${index.status}`);
  const paths = index.json<{ paths: Record<string, { serverRelativeURL: string }> }>().paths;
  const docs = new Map<string, any>();
  for (const gv of GROUP_VERSIONS) {
    const entry = paths[gv];
    if (!entry) throw new Error(`the apiserver does not serve ${gv} (has: ${Object.keys(paths).join(', ')})`);
    const res = await fed.request('openapi', 'GET', entry.serverRelativeURL);
    if (res.status !== 200) throw new Error(`${entry.serverRelativeURL} -> ${res.status}`);
    docs.set(gv, res.json());
  }
  const render = (strip: boolean) =>
    new Map(
      [...docs].map(([gv, doc]) => {
        const out = strip ? { openapi: doc.openapi, info: doc.info, components: { schemas: doc.components?.schemas ?? {} } } : doc;
        return [gv, JSON.stringify(out, null, 2) + '\n'] as const;
      }),
    );
  let files = render(values['strip-paths']);
  let total = [...files.values()].reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (total > LIMIT_BYTES && !values['strip-paths']) {
    console.error(`[openapi] ${(total / 2 ** 20).toFixed(1)} MB with paths; keeping only components.schemas`);
    files = render(true);
    total = [...files.values()].reduce((n, s) => n + Buffer.byteLength(s), 0);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [gv, text] of files) {
    writeFileSync(join(outDir, fileName(gv)), text);
    console.error(`[openapi] ${fileName(gv).padEnd(36)} ${(Buffer.byteLength(text) / 1024).toFixed(0).padStart(6)} KiB  (${gv})`);
  }
  writeFileSync(join(outDir, 'VERSION'), `${fed.version}\n`);
  console.error(`[openapi] Kubernetes ${fed.version}: ${files.size} documents, ${(total / 2 ** 20).toFixed(1)} MB -> ${relative(process.cwd(), outDir) || '.'}`);
} finally {
  await fed.stop();
}
