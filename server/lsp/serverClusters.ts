/**
 * What the language server uses from server/cluster/ (and @kubernetes/client-node behind it), in
 * one module of its own bundle (dist/serverClusters.js): it is loaded with one dynamic import
 * when member clusters are configured, so a server without clusters never loads it.
 */
export { loadKubeconfig } from '../cluster/kubeconfig.ts';
export { Connections } from '../cluster/client.ts';
export { memberSchemas } from '../cluster/schemas.ts';
