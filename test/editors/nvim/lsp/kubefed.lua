-- The KubeFed language server for Neovim >= 0.11, in the layout nvim-lspconfig uses: a file
-- `lsp/kubefed.lua` on 'runtimepath' returning the configuration, then `vim.lsp.enable('kubefed')`.
-- `cmd` runs the built server (`npm ci && node esbuild.mjs` in a checkout → dist/server.js).
return {
  cmd = { vim.env.KUBEFED_NODE or 'node', vim.env.KUBEFED_SERVER or 'dist/server.js', '--stdio' },
  filetypes = { 'yaml' },
  -- The workspace folder (every *.yaml below it is indexed: clusters, namespaces, placements).
  root_markers = { '.git' },
  -- The settings of the "Workspace" table in server/lsp/README.md; here: no kubeconfig contexts as clusters.
  init_options = { kubeconfig = false },
}
