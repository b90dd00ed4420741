-- prooflens for Neovim's built-in LSP client (Neovim 0.7 and newer).
--
--   require("prooflens").setup({ cmd = { "prooflens", "serve" } })   -- every option is optional
--
-- Registers the prooflens language server for C buffers: vim.lsp.config/vim.lsp.enable on
-- Neovim >= 0.11, vim.lsp.start on 0.8-0.10, vim.lsp.start_client + buf_attach_client on 0.7.
-- Keeps the code lenses (✔ proved / ✘ refuted / ? unknown per function) fresh on attach, save,
-- idle and whenever new results arrive, and adds :ProoflensVerify, :ProoflensVerifyFile,
-- :ProoflensCounterexample, :ProoflensGenerateTest and :ProoflensStatus.
local M = {}

local NAME = "prooflens"

local defaults = {
  -- the server command (a list); `prooflens serve` from PATH by default
  cmd = { "prooflens", "serve" },
  filetypes = { "c" },
  -- files or directories that mark a project root (the server's workspace folder)
  root_markers = { "compile_commands.json", "compile_flags.txt", ".git", "Makefile", "pyproject.toml" },
  -- server settings (sent as initializationOptions and answered to workspace/configuration,
  -- section "prooflens"): timeout, dataModel, includeDirs, defines, compileCommands,
  -- cachePath, workers, inlineDepth, checksEnabled, unknownAsInformation, inlayHints, ...
  settings = {},
  -- refresh code lenses on attach, save, idle (CursorHold) and when results arrive
  codelens = true,
  -- extra environment for the server process
  cmd_env = nil,
  -- your own on_attach(client, bufnr) and capabilities, if any
  on_attach = nil,
  capabilities = nil,
}

M.config = vim.deepcopy(defaults)

local function has(v)
  return vim.fn.has("nvim-" .. v) == 1
end

local function notify(msg, level)
  vim.schedule(function()
    vim.notify("prooflens: " .. msg, level or vim.log.levels.INFO)
  end)
end

local function get_clients(bufnr)
  local out = {}
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ name = NAME, bufnr = bufnr })
  elseif bufnr then
    all = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  else
    all = vim.lsp.get_active_clients()
  end
  for _, c in ipairs(all) do
    if c.name == NAME then
      table.insert(out, c)
    end
  end
  return out
end

--- The prooflens client attached to `bufnr` (default: current buffer), or nil.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return get_clients(bufnr)[1]
end

local function request_sync(client, method, params, bufnr, timeout)
  -- 0.11 deprecates client.request_sync(...) in favour of client:request_sync(...)
  if has("0.11") then
    return client:request_sync(method, params, timeout or 10000, bufnr)
  end
  return client.request_sync(method, params, timeout or 10000, bufnr)
end

local function request(client, method, params, handler, bufnr)
  if has("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- ---- root directory --------------------------------------------------------------------------

local function find_root(fname)
  local dir = vim.fn.fnamemodify(fname, ":p:h")
  local home = vim.loop.os_homedir()
  local cur = dir
  while cur and cur ~= "" do
    for _, m in ipairs(M.config.root_markers) do
      if vim.loop.fs_stat(cur .. "/" .. m) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ":h")
    if parent == cur or cur == home then
      break
    end
    cur = parent
  end
  return dir
end

-- ---- code lenses ------------------------------------------------------------------------------

local refresh_timers = {}

local function refresh_codelens(bufnr)
  if not M.config.codelens or not vim.api.nvim_buf_is_valid(bufnr) then
    return
  end
  if not vim.api.nvim_buf_is_loaded(bufnr) or #get_clients(bufnr) == 0 then
    return
  end
  if has("0.10") then
    pcall(vim.lsp.codelens.refresh, { bufnr = bufnr })
  else
    pcall(vim.api.nvim_buf_call, bufnr, vim.lsp.codelens.refresh)
  end
end

--- Refresh the lenses of `bufnr` after `delay` ms (coalescing bursts of results).
function M.schedule_codelens(bufnr, delay)
  local t = refresh_timers[bufnr]
  if t then
    t:stop()
  else
    t = vim.loop.new_timer()
    refresh_timers[bufnr] = t
  end
  t:start(delay or 200, 0, vim.schedule_wrap(function()
    refresh_codelens(bufnr)
  end))
end

local function lens_status(title)
  title = title or ""
  if title == "" or title:find("verifying") or title:find("stale") or title:find("^…") then
    return "pending"
  elseif title:find("^✘") or title:find("refuted") then
    return "refuted"
  elseif title:find("^%?") or title:find("^⚠") or title:find("unknown") then
    return "unknown"
  elseif title:find("^✔") or title:find("proved") then
    return "proved"
  end
  return "other"
end
M._lens_status = lens_status

--- The code lenses of `bufnr` as {line=0-based, title=..., command=...} (asks the server).
function M.lenses(bufnr, timeout)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    return nil, "no prooflens client attached"
  end
  local resp, err = request_sync(client, "textDocument/codeLens",
    { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, bufnr, timeout)
  if not resp or resp.err then
    return nil, tostring(err or (resp and resp.err and resp.err.message))
  end
  local out = {}
  for _, l in ipairs(resp.result or {}) do
    table.insert(out, { line = l.range.start.line, title = l.command and l.command.title or "", command = l.command })
  end
  table.sort(out, function(a, b) return a.line < b.line end)
  return out
end

--- The file's summary: counts, and the text "✔ n · ✘ n · ? n" (for a statusline).
function M.summary(bufnr)
  local s = { proved = 0, refuted = 0, unknown = 0, pending = 0 }
  local lenses = M.lenses(bufnr, 2000)
  if not lenses then
    return s, ""
  end
  for _, l in ipairs(lenses) do
    local k = lens_status(l.title)
    if s[k] then
      s[k] = s[k] + 1
    end
  end
  local text = string.format("✔ %d · ✘ %d · ? %d", s.proved, s.refuted, s.unknown)
  if s.pending > 0 then
    text = text .. string.format(" · … %d", s.pending)
  end
  return s, text
end

-- ---- attach -----------------------------------------------------------------------------------

local attached = {}

local function on_attach(client, bufnr)
  if not attached[bufnr] then
    attached[bufnr] = true
    local group = vim.api.nvim_create_augroup("prooflens_buf_" .. bufnr, { clear = true })
    if M.config.codelens then
      vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost", "CursorHold", "InsertLeave" }, {
        group = group,
        buffer = bufnr,
        callback = function() M.schedule_codelens(bufnr, 50) end,
      })
    end
    vim.api.nvim_create_autocmd("BufWipeout", {
      group = group,
      buffer = bufnr,
      callback = function()
        attached[bufnr] = nil
        local t = refresh_timers[bufnr]
        if t then
          t:stop(); t:close(); refresh_timers[bufnr] = nil
        end
      end,
    })
  end
  M.schedule_codelens(bufnr, 100)
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

-- results arrive as diagnostics: refresh the lenses with them; the server may also ask.
local function handlers()
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  return {
    ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
      local r = publish(err, result, ctx, config)
      if result and result.uri then
        local bufnr = vim.uri_to_bufnr(result.uri)
        if attached[bufnr] then
          M.schedule_codelens(bufnr, 150)
        end
      end
      return r
    end,
    ["workspace/codeLens/refresh"] = function()
      for bufnr in pairs(attached) do
        M.schedule_codelens(bufnr, 50)
      end
      return vim.NIL
    end,
  }
end

local function capabilities()
  local caps = M.config.capabilities or vim.lsp.protocol.make_client_capabilities()
  caps.workspace = caps.workspace or {}
  caps.workspace.codeLens = { refreshSupport = true }
  caps.textDocument = caps.textDocument or {}
  caps.textDocument.codeLens = caps.textDocument.codeLens or { dynamicRegistration = false }
  return caps
end

local function client_config(root)
  local settings = M.config.settings or {}
  return {
    name = NAME,
    cmd = M.config.cmd,
    cmd_env = M.config.cmd_env,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = settings,
    settings = { prooflens = settings },
    capabilities = capabilities(),
    handlers = handlers(),
    on_attach = on_attach,
  }
end

local warned_missing = false
local function cmd_ok()
  local exe = M.config.cmd[1]
  if type(exe) ~= "string" or vim.fn.executable(exe) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify(("the server command %q was not found. Install prooflens (`pip install prooflens`) or pass its path: "
        .. 'require("prooflens").setup({ cmd = { "/path/to/.venv/bin/prooflens", "serve" } })'):format(tostring(exe)),
        vim.log.levels.ERROR)
    end
    return false
  end
  return true
end

-- Neovim 0.7: one client per root, started with start_client and attached to each buffer.
local clients_by_root = {}
local function attach_07(bufnr)
  local root = find_root(vim.api.nvim_buf_get_name(bufnr))
  local id = clients_by_root[root]
  local c = id and vim.lsp.get_client_by_id(id)
  if not c or c.is_stopped() then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function attach_08(bufnr)
  local cfg = client_config(find_root(vim.api.nvim_buf_get_name(bufnr)))
  vim.lsp.start(cfg, { bufnr = bufnr })
end

local function attach(bufnr)
  if vim.bo[bufnr].buftype ~= "" or not vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
    return
  end
  if not cmd_ok() then
    return
  end
  if vim.lsp.start then
    attach_08(bufnr)
  else
    attach_07(bufnr)
  end
end

-- ---- commands ---------------------------------------------------------------------------------

local function cursor_lens(bufnr)
  local lenses, err = M.lenses(bufnr)
  if not lenses then
    return nil, err
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local best
  for _, l in ipairs(lenses) do
    if l.line <= line then
      best = l
    end
  end
  return best or lenses[1]
end

local function execute(client, command, bufnr)
  request(client, "workspace/executeCommand", { command = command.command, arguments = command.arguments },
    function(err)
      if err then
        notify(command.command .. " failed: " .. tostring(err.message or err), vim.log.levels.ERROR)
      end
      M.schedule_codelens(bufnr, 100)
    end, bufnr)
end

--- Re-verify the function under the cursor.
function M.verify_function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify("no prooflens server attached to this buffer", vim.log.levels.WARN)
  end
  local lens = cursor_lens(bufnr)
  if not lens or not lens.command then
    return notify("no function here", vim.log.levels.WARN)
  end
  execute(client, lens.command, bufnr)
end

--- Re-verify every function of the file.
function M.verify_file()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify("no prooflens server attached to this buffer", vim.log.levels.WARN)
  end
  execute(client, { command = "prooflens.verifyFile", arguments = { vim.uri_from_bufnr(bufnr) } }, bufnr)
end

local function refutations(bufnr)
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local ds = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if (d.source == "prooflens" or d.source == nil)
      and (d.severity == vim.diagnostic.severity.ERROR or d.severity == vim.diagnostic.severity.WARN) then
      table.insert(ds, d)
    end
  end
  table.sort(ds, function(a, b)
    return math.abs(a.lnum - line) < math.abs(b.lnum - line)
  end)
  return ds
end

--- Show the counterexample of the refuted check nearest to the cursor (in a floating window).
--- Returns the hover's markdown lines.
function M.show_counterexample()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    notify("no prooflens server attached to this buffer", vim.log.levels.WARN)
    return nil
  end
  local d = refutations(bufnr)[1]
  if not d then
    notify("no refuted check in this buffer")
    return nil
  end
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local resp = request_sync(client, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = d.lnum, character = d.col },
  }, bufnr)
  local result = resp and resp.result
  if not result or not result.contents then
    notify("no counterexample for this check", vim.log.levels.WARN)
    return nil
  end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
  -- drop leading and trailing blank lines (vim.lsp.util.trim_empty_lines is deprecated in 0.10)
  while #lines > 0 and lines[1]:match("^%s*$") do table.remove(lines, 1) end
  while #lines > 0 and lines[#lines]:match("^%s*$") do table.remove(lines) end
  vim.lsp.util.open_floating_preview(lines, "markdown", { border = "rounded", focus_id = "prooflens_counterexample" })
  return lines
end

--- Write a C test that reproduces the counterexample nearest to the cursor.
function M.generate_test()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify("no prooflens server attached to this buffer", vim.log.levels.WARN)
  end
  for _, d in ipairs(refutations(bufnr)) do
    local range = {
      start = { line = d.lnum, character = d.col },
      ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
    }
    local lsp_diag = d.user_data and d.user_data.lsp or {
      range = range, message = d.message, severity = d.severity, code = d.code, source = d.source,
    }
    local resp = request_sync(client, "textDocument/codeAction", {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = range,
      context = { diagnostics = { lsp_diag } },
    }, bufnr)
    for _, a in ipairs(resp and resp.result or {}) do
      if (a.title or ""):lower():find("test") then
        if a.edit then
          vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or "utf-16")
        end
        local cmd = type(a.command) == "table" and a.command or (type(a.command) == "string" and a or nil)
        if cmd then
          execute(client, cmd, bufnr)
        end
        return
      end
    end
  end
  notify("no counterexample to turn into a test here")
end

local function define_commands()
  local cmd = vim.api.nvim_create_user_command
  cmd("ProoflensVerify", function(o)
    if o.args == "file" or o.bang then M.verify_file() else M.verify_function() end
  end, { bang = true, nargs = "?", complete = function() return { "file" } end,
         desc = "prooflens: re-verify the function under the cursor (! or `file`: the whole file)" })
  cmd("ProoflensVerifyFile", M.verify_file, { desc = "prooflens: re-verify the whole file" })
  cmd("ProoflensCounterexample", function() M.show_counterexample() end,
    { desc = "prooflens: show the counterexample of the nearest refuted check" })
  cmd("ProoflensGenerateTest", M.generate_test, { desc = "prooflens: write a C test reproducing the counterexample" })
  cmd("ProoflensStatus", function()
    local _, text = M.summary(0)
    print("prooflens: " .. (text ~= "" and text or "not attached"))
  end, { desc = "prooflens: the file's summary (✔ proved · ✘ refuted · ? unknown)" })
end

-- ---- setup ------------------------------------------------------------------------------------

function M.setup(opts)
  opts = opts or {}
  local cfg = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts)
  -- lists replace, they do not merge index by index
  for _, k in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts[k] ~= nil then
      cfg[k] = opts[k]
    end
  end
  if type(cfg.cmd) == "string" then
    cfg.cmd = { cfg.cmd, "serve" }
  end
  M.config = cfg
  define_commands()

  if vim.lsp.config and vim.lsp.enable then
    -- Neovim >= 0.11: declarative configuration, enabled for the filetypes
    local c = client_config(nil)
    c.root_dir = nil
    c.workspace_folders = nil
    c.root_markers = cfg.root_markers
    c.filetypes = cfg.filetypes
    if cmd_ok() then
      vim.lsp.config(NAME, c)
      vim.lsp.enable(NAME)
    end
  else
    local group = vim.api.nvim_create_augroup("prooflens", { clear = true })
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = cfg.filetypes,
      callback = function(args) attach(args.buf) end,
    })
    -- buffers already open when setup() runs
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) then
        attach(b)
      end
    end
  end
  return M
end

return M
