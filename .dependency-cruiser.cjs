/**
 * Layer rules of kubefed-tools, checked by `npm test` (scripts/test.mjs runs depcruise):
 * - server/engine is pure: no vscode, no network, no file system or processes, nothing from the faces;
 * - only client/ imports vscode;
 * - only server/cluster talks to clusters (@kubernetes/client-node and the node network modules);
 * - the webview (browser code) imports from the server only types;
 * - no module depends on itself through others.
 */
const NETWORK = '^(node:)?(http|https|http2|net|tls|dgram|dns)$|^@kubernetes/client-node|^ws$|^undici';
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment: 'The federation engine has no vscode, no network, no file system or processes, and no face.',
      severity: 'error',
      from: { path: '^server/engine/' },
      to: {
        path: ['^vscode$', NETWORK, '^(node:)?(fs|fs/promises|child_process|worker_threads|cluster)$', '^server/(lsp|cli|cluster|files)/', '^client/', '^webview/'],
      },
    },
    {
      name: 'only-client-imports-vscode',
      severity: 'error',
      from: { pathNot: '^client/' },
      to: { path: '^vscode$' },
    },
    {
      name: 'only-server-cluster-talks-to-clusters',
      comment: 'Cluster I/O lives in server/cluster (the extension loads it lazily through client/clusterModule.ts).',
      severity: 'error',
      from: { pathNot: ['^server/cluster/', '^test/', '^bench/'] },
      to: { path: NETWORK },
    },
    {
      name: 'webview-imports-only-types-from-server',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(server|client|webview)/.+[.]ts$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
