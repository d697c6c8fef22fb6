-- luacheck settings for rpm-macros/hwcaps.lua (generated from hwcaps.lua.in) and its test
-- (meson test hwcaps-luacheck; by hand: luacheck build/rpm-macros tests/unit).
std = "lua53"            -- rpm 4.18's Lua on Debian 12
read_globals = { "rpm", "posix" } -- rpm's Lua API and its posix module, there when rpm runs the macros
max_line_length = false  -- messages and shell text, as long as in the macro files
