-- Driver of the Neovim editor test (test/editors/neovim.test.ts), run after init.lua:
--   nvim --headless --clean -u test/editors/nvim/init.lua -c 'luafile test/editors/nvim/probe.lua'
-- Opens $KUBEFED_FILE (the fixture's web.yaml in a copy of test/editors/fixture), then through
-- Neovim's own LSP client: waits for the diagnostics, hovers a placement's cluster name, applies
-- the quick fix of the unknown cluster, completes a new placement entry, reads the code lenses and
-- runs two of them. Everything it saw goes to $KUBEFED_OUT as JSON; the node test asserts on it.
local out = { steps = {} }
local TIMEOUT = tonumber(vim.env.KUBEFED_TIMEOUT_MS or '30000')

local function step(name) table.insert(out.steps, name) end

local function finish(code)
  local f = assert(io.open(vim.env.KUBEFED_OUT, 'w'))
  f:write(vim.json.encode(out))
  f:close()
  -- Stop the server as :LspStop does (shutdown, exit) and let it end before Neovim does: Neovim
  -- does not wait for its servers by default, and the test checks what the server left behind.
  for _, client in ipairs(vim.lsp.get_clients()) do client:stop() end
  vim.wait(5000, function() return #vim.lsp.get_clients() == 0 end, 50)
  vim.cmd(code == 0 and 'qall!' or ('cquit! ' .. code))
end

local function wait(what, pred)
  if not vim.wait(TIMEOUT, pred, 50) then error('timed out waiting for ' .. what, 0) end
end

local function line_of(buf, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = l:find(needle, 1, true)
    if col then return i - 1, col - 1 end
  end
  error('"' .. needle .. '" not in the buffer', 0)
end

local function request(client, buf, method, params)
  local r, err = client:request_sync(method, params, TIMEOUT, buf)
  if not r then error(method .. ': ' .. tostring(err), 0) end
  if r.err then error(method .. ': ' .. vim.inspect(r.err), 0) end
  return r.result
end

local function diagnostics(buf)
  return vim.tbl_map(function(d)
    return { lnum = d.lnum, col = d.col, code = d.code, message = d.message, severity = d.severity, lsp = d.user_data and d.user_data.lsp }
  end, vim.diagnostic.get(buf))
end

local function has_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return true end
  end
  return false
end

local function run()
  vim.cmd.edit(vim.fn.fnameescape(vim.env.KUBEFED_FILE))
  local buf = vim.api.nvim_get_current_buf()
  local client
  wait('the kubefed client to attach', function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'kubefed' })[1]
    return client ~= nil and client.initialized
  end)
  step('attached')
  out.nvim = tostring(vim.version())
  out.root = client.root_dir or (client.workspace_folders and client.workspace_folders[1].name)
  out.executeCommandProvider = client.server_capabilities.executeCommandProvider

  wait('an unknown-cluster diagnostic', function() return has_code(buf, 'unknown-cluster') end)
  out.diagnostics = diagnostics(buf)
  step('diagnostics')

  local enc = client.offset_encoding
  local lnum, col = line_of(buf, 'name: cluster1')
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + #'name: ' })
  local hover = request(client, buf, 'textDocument/hover', vim.lsp.util.make_position_params(0, enc))
  out.hover = { line = lnum, contents = hover and hover.contents }
  step('hover')

  -- The quick fix of the unknown cluster, applied like `:lua vim.lsp.buf.code_action()` would.
  local diag
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'unknown-cluster' then diag = d.user_data.lsp end
  end
  local actions = request(client, buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = diag.range,
    context = { diagnostics = { diag }, only = { 'quickfix' } },
  }) or {}
  out.codeActions = vim.tbl_map(function(a) return a.title end, actions)
  if actions[1] and actions[1].edit then vim.lsp.util.apply_workspace_edit(actions[1].edit, enc) end
  wait('the unknown-cluster diagnostic to go', function() return not has_code(buf, 'unknown-cluster') end)
  out.fixedLine = vim.api.nvim_buf_get_lines(buf, diag.range.start.line, diag.range.start.line + 1, false)[1]
  out.diagnosticsAfterFix = diagnostics(buf)
  step('code action')

  -- A new placement entry, typed below the first one, completed at its end.
  local at = line_of(buf, '- name: cluster1')
  vim.api.nvim_buf_set_lines(buf, at + 1, at + 1, false, { '    - name: ' })
  vim.api.nvim_win_set_cursor(0, { at + 2, #'    - name: ' })
  local completion = request(client, buf, 'textDocument/completion', vim.lsp.util.make_position_params(0, enc))
  local items = completion and (completion.items or completion) or {}
  out.completion = { line = at + 1, labels = vim.tbl_map(function(i) return i.label end, items) }
  vim.api.nvim_buf_set_lines(buf, at + 1, at + 2, false, {})
  step('completion')

  -- init.lua's LspAttach autocommand has Neovim show them (virtual text above the line) ...
  wait('Neovim to show code lenses', function() return #vim.lsp.codelens.get(buf) > 0 end)
  out.shownLenses = #vim.lsp.codelens.get(buf)
  -- ... and asked directly: vim.lsp.codelens.get() may still hold the lenses of before the fix.
  local lenses = request(client, buf, 'textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(buf) } }) or {}
  out.lenses = vim.tbl_map(function(l) return { line = l.range.start.line, title = l.command and l.command.title, command = l.command and l.command.command } end, lenses)
  step('code lenses')

  -- Run the placement lens and the preview lens as `vim.lsp.codelens.run()` does (client:exec_cmd).
  local results = {}
  for _, l in ipairs(lenses) do
    local title = l.command and l.command.title or ''
    if title:find('clusters)', 1, true) or title == 'preview' then
      client:exec_cmd(l.command, { bufnr = buf }, function(err, result)
        results[title] = { err = err and err.message, result = result }
      end)
    end
  end
  wait('the lens commands to answer', function() return vim.tbl_count(results) == 2 end)
  out.lensResults = results
  wait('the preview document', function() return vim.api.nvim_buf_get_name(0):find('kubefed-preview', 1, true) ~= nil end)
  -- what window/showMessage showed the user (`:messages`)
  out.messages = vim.api.nvim_exec2('messages', { output = true }).output
  local pbuf = vim.api.nvim_get_current_buf()
  out.previewDocument = { name = vim.api.nvim_buf_get_name(pbuf), text = table.concat(vim.api.nvim_buf_get_lines(pbuf, 0, -1, false), '\n'), readonly = vim.bo[pbuf].readonly }
  step('lens commands')
end

local ok, err = pcall(run)
if not ok then
  out.error = tostring(err)
  finish(3)
else
  finish(0)
end
