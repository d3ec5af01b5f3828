-- A Neovim configuration for the KubeFed language server, in three variants (the editor test runs
-- each, the README shows them):
--   KUBEFED_NVIM_SETUP=enable  lsp/kubefed.lua on 'runtimepath' + vim.lsp.enable (0.11, nvim-lspconfig's layout)
--   KUBEFED_NVIM_SETUP=config  vim.lsp.config(...) inline + vim.lsp.enable (0.11)
--   KUBEFED_NVIM_SETUP=start   vim.lsp.start(...) from a FileType autocommand (0.10)
-- The server's path comes from KUBEFED_SERVER (dist/server.js), node from KUBEFED_NODE.
local here = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
local setup = vim.env.KUBEFED_NVIM_SETUP or 'enable'
local cmd = { vim.env.KUBEFED_NODE or 'node', vim.env.KUBEFED_SERVER or 'dist/server.js', '--stdio' }

if setup == 'enable' then
  vim.opt.runtimepath:prepend(here)
  vim.lsp.enable('kubefed')
elseif setup == 'config' then
  vim.lsp.config('kubefed', {
    cmd = cmd,
    filetypes = { 'yaml' },
    root_markers = { '.git' },
    init_options = { kubeconfig = false },
  })
  vim.lsp.enable('kubefed')
elseif setup == 'start' then
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'yaml',
    callback = function(args)
      vim.lsp.start({
        name = 'kubefed',
        cmd = cmd,
        root_dir = vim.fs.root(args.buf, { '.git' }),
        init_options = { kubeconfig = false },
      })
    end,
  })
else
  error('KUBEFED_NVIM_SETUP: enable, config or start, not ' .. setup)
end

-- Code lenses are not shown by default: refresh them where the server attaches.
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == 'kubefed' then
      vim.lsp.codelens.refresh({ bufnr = args.buf })
      vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'TextChanged' }, {
        buffer = args.buf,
        callback = function() vim.lsp.codelens.refresh({ bufnr = args.buf }) end,
      })
    end
  end,
})
