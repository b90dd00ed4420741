-- Headless end-to-end test of the prooflens Neovim plugin against the real server.
--   nvim --headless -n -u NONE -i NONE -c "luafile editors/neovim/test/e2e.lua"
-- Env: PLUGIN (editors/neovim), SERVER (the prooflens executable), FILE (a copy of
-- examples/seed.c that the test may edit and save), TIMEOUT_MS (default 90000).
-- Prints "ok <step>" per step; exits 0 when every step passed, 1 otherwise.
local plugin = assert(os.getenv("PLUGIN"), "PLUGIN not set")
local server = assert(os.getenv("SERVER"), "SERVER not set")
local file = assert(os.getenv("FILE"), "FILE not set")
local TIMEOUT = tonumber(os.getenv("TIMEOUT_MS") or "90000")

vim.opt.rtp:prepend(plugin)
vim.o.updatetime = 300

local function out(s)
  io.stdout:write(s .. "\n")
end
local function fail(msg)
  io.stderr:write("FAIL " .. msg .. "\n")
  vim.cmd("cquit 1")
end

local ok, err = xpcall(function()
  local prooflens = require("prooflens")
  prooflens.setup({ cmd = { server, "serve" }, settings = { timeout = 10 } })
  assert(vim.fn.exists(":ProoflensVerify") == 2, ":ProoflensVerify not defined")
  assert(vim.fn.exists(":ProoflensCounterexample") == 2, ":ProoflensCounterexample not defined")
  out("ok setup (nvim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "."
    .. tostring(vim.version().patch) .. ")")

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = "c" -- no filetype detection with -u NONE: this fires FileType
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local L = {}
  for i, l in ipairs(lines) do
    if not L.f and l:match("%f[%w_]f%s*%(") then L.f = i - 1 end
    if not L.g and l:match("void%s+g%s*%(") then L.g = i - 1 end
    if not L.g2 and l:match("void%s+g2%s*%(") then L.g2 = i - 1 end
    if L.g and not L.gif and l:match("if%s*%(%s*y%s*>%s*0%s*%)") then L.gif = i - 1 end
    if L.g2 and not L.sub and i - 1 > L.g2 and l:match("x%s*%-%s*y") then L.sub = i - 1 end
  end
  assert(L.f and L.g and L.g2 and L.gif and L.sub, "seed.c lacks f, g, g2: " .. vim.inspect(L))

  assert(vim.wait(30000, function() return prooflens.client(buf) ~= nil end, 50), "the server did not attach")
  out("ok attached")

  -- 1. diagnostics: g2's signed overflow at `x - y`
  local overflow
  local got = vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum == L.sub and d.message:lower():find("overflow") then
        overflow = d
        return true
      end
    end
    return false
  end, 50)
  assert(got, "no overflow diagnostic on line " .. (L.sub + 1) .. ": " .. vim.inspect(vim.diagnostic.get(buf)))
  out("ok diagnostic: line " .. (overflow.lnum + 1) .. ": " .. overflow.message)

  -- 2. code lenses, as displayed (refreshed by the plugin when results arrive)
  local function shown()
    local t = {}
    for _, l in ipairs(vim.lsp.codelens.get(buf) or {}) do
      t[l.range.start.line] = l.command and l.command.title or ""
    end
    return t
  end
  local function near(t, line)
    for l = line - 2, line + 1 do
      if t[l] then return t[l] end
    end
    return ""
  end
  local final = vim.wait(TIMEOUT, function()
    local t = shown()
    for _, line in ipairs({ L.f, L.g, L.g2 }) do
      local s = prooflens._lens_status(near(t, line))
      if s == "pending" or s == "other" then return false end
    end
    return true
  end, 100)
  local t = shown()
  assert(final, "code lenses not final: " .. vim.inspect(t))
  local tf, tg, tg2 = near(t, L.f), near(t, L.g), near(t, L.g2)
  assert(prooflens._lens_status(tf) == "proved", "lens of f: " .. tf)
  assert(prooflens._lens_status(tg) == "proved", "lens of g: " .. tg)
  assert(prooflens._lens_status(tg2) == "refuted", "lens of g2: " .. tg2)
  out("ok lenses: f=" .. tf .. " | g=" .. tg .. " | g2=" .. tg2)

  local s, text = prooflens.summary(buf)
  assert(s.proved >= 2 and s.refuted >= 1 and s.pending == 0, "summary: " .. vim.inspect(s))
  out("ok summary: " .. text)

  -- 3. hover with the counterexample (:ProoflensCounterexample)
  vim.api.nvim_win_set_cursor(0, { L.sub + 1, 0 }) -- on the overflow's line, not at its column
  local hover = prooflens.show_counterexample()
  assert(hover, "no hover")
  local htext = table.concat(hover, "\n")
  local nums = {}
  for n in htext:gmatch("%-?%d%d%d%d+") do table.insert(nums, n) end
  assert(#nums >= 2, "hover lacks the counterexample's values: " .. htext)
  local float = false
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then float = true end
  end
  assert(float, "no floating window for the counterexample")
  out("ok hover: " .. htext:gsub("%s+", " "):sub(1, 160))
  vim.cmd("ProoflensCounterexample") -- the user command, too (a second call enters the float)
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then vim.api.nvim_win_close(w, true) end
  end
  assert(vim.api.nvim_get_current_buf() == buf, "not back in the C buffer")

  -- 4. edit the buffer so that g breaks: `if (y > 0)` -> `if (y > -5)`
  local before = vim.api.nvim_buf_get_lines(buf, L.gif, L.gif + 1, false)[1]
  vim.api.nvim_buf_set_lines(buf, L.gif, L.gif + 1, false, { (before:gsub("y%s*>%s*0", "y > -5")) })
  local in_g = function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum > L.g and d.lnum < L.g2 and d.severity <= vim.diagnostic.severity.WARN then return d end
    end
  end
  assert(vim.wait(TIMEOUT, function() return in_g() ~= nil end, 50),
    "no diagnostic in g after breaking it: " .. vim.inspect(vim.diagnostic.get(buf)))
  out("ok broken g: line " .. (in_g().lnum + 1) .. ": " .. in_g().message)
  assert(vim.wait(TIMEOUT, function() return prooflens._lens_status(near(shown(), L.g)) == "refuted" end, 100),
    "g's lens did not turn refuted: " .. near(shown(), L.g))
  out("ok lens of g: " .. near(shown(), L.g))

  -- 5. :ProoflensVerify on g, then mend g and save: the diagnostics clear
  vim.api.nvim_win_set_cursor(0, { L.g + 2, 0 })
  vim.cmd("ProoflensVerify")
  vim.cmd("ProoflensVerify file")
  vim.api.nvim_buf_set_lines(buf, L.gif, L.gif + 1, false, { before })
  vim.cmd("silent write")
  assert(vim.wait(TIMEOUT, function() return in_g() == nil end, 50), "g's diagnostic did not clear after mending")
  assert(vim.wait(TIMEOUT, function() return prooflens._lens_status(near(shown(), L.g)) == "proved" end, 100),
    "g's lens did not return to proved: " .. near(shown(), L.g))
  out("ok mended g: " .. near(shown(), L.g))
end, debug.traceback)

if not ok then
  fail(tostring(err))
else
  out("ALL OK")
  vim.cmd("qall!")
end
