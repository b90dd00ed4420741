-- :checkhealth prooflens
local M = {}

local h = vim.health or require("health")
local start = h.start or h.report_start
local ok = h.ok or h.report_ok
local warn = h.warn or h.report_warn
local err = h.error or h.report_error

function M.check()
  start("prooflens")
  local prooflens = require("prooflens")
  local cmd = prooflens.config.cmd
  if type(cmd) == "table" and type(cmd[1]) == "string" and vim.fn.executable(cmd[1]) == 1 then
    ok("server command: " .. table.concat(cmd, " ") .. " (" .. vim.fn.exepath(cmd[1]) .. ")")
  else
    err("server command not found: " .. vim.inspect(cmd),
      { "pip install prooflens, or setup({ cmd = { '/path/to/.venv/bin/prooflens', 'serve' } })" })
  end
  if vim.fn.has("nvim-0.7") == 1 then
    ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor))
  else
    err("Neovim 0.7 or newer is needed")
  end
  local client = prooflens.client(0)
  if client then
    ok("attached to this buffer (client id " .. client.id .. ")")
  else
    warn("not attached to this buffer (open a C file)")
  end
end

return M
