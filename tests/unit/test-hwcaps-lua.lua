-- rpm-macros/hwcaps.lua on its own, without rpmbuild: its pure functions
-- (level and profile lists, their error messages, shell quoting, flags)
-- with a stand-in for rpm's Lua API.  Runs under a plain Lua interpreter
--   lua5.3 test-hwcaps-lua.lua rpm-macros/hwcaps.lua
-- and under rpm's own Lua
--   rpm --eval '%{lua: assert(loadfile("test-hwcaps-lua.lua"))("rpm-macros/hwcaps.lua")}'
-- Fails with an error naming every failed case.
local module_path = assert(..., "usage: test-hwcaps-lua.lua PATH/hwcaps.lua")
local hwcaps = assert(loadfile(module_path))()

-- The stand-in for rpm.expand: %{NAME} and %{?NAME} from `macros`, and
-- %{error:TEXT} recorded as rpm prints it (%% is %), then raised as
-- rpm 4.18's rpm.expand does.
local macros, errors = {}, {}
local fake_rpm = {}
function fake_rpm.expand(s)
  local msg = s:match("^%%{error:(.*)}$")
  if msg then
    errors[#errors + 1] = (msg:gsub("%%%%", "%%"))
    error("error expanding macro", 0)
  end
  local opt, name = s:match("^%%{(%??)([%w_]+)}$")
  assert(name, "the stand-in rpm.expand cannot expand " .. s)
  assert(macros[name] ~= nil or opt == "?", "undefined macro %" .. name)
  return macros[name] or ""
end
-- The stand-in replaces rpm's API while the tests run (under rpm too).
local real_rpm = rpm
rpm = fake_rpm -- luacheck: ignore 121

local failed, passed = {}, 0

-- io.write, not print: under rpm, print() makes the macro's expansion.
local function say(line) io.write(line, "\n") end

local function show(v)
  if type(v) ~= "table" then return string.format("%q", tostring(v)) end
  local t = {}
  for _, x in ipairs(v) do t[#t + 1] = show(x) end
  return "{" .. table.concat(t, ", ") .. "}"
end

local function check(what, ok, detail)
  if ok then
    passed = passed + 1
    say("ok: " .. what)
  else
    failed[#failed + 1] = what .. (detail and ": " .. detail or "")
    say("FAIL: " .. failed[#failed])
  end
end

local function eq(what, want, got)
  check(what, show(want) == show(got), "expected " .. show(want) .. ", got " .. show(got))
end

-- fails(WHAT, MESSAGE, F, ARGS...): F(ARGS...) stops the build with the
-- one line "error: MESSAGE".
local function fails(what, want, f, ...)
  errors = {}
  local ok = pcall(f, ...)
  check(what, not ok and #errors == 1 and errors[1] == want,
    "expected the error " .. show(want) .. ", got " .. (ok and "none" or show(errors)))
end

-- ---- the level table ----------------------------------------------------
eq("the levels, in order", { "x86-64-v2", "x86-64-v3", "x86-64-v4" }, hwcaps.all_levels)
eq("the default %hwcaps_levels is every level", "x86-64-v2 x86-64-v3 x86-64-v4", hwcaps.default_levels())
for _, l in ipairs(hwcaps.all_levels) do
  eq("the known map has " .. l .. " with its number", "v" .. l:match("%d+$"), "v" .. tostring(hwcaps.known[l]))
  eq("GOAMD64 for " .. l, "v" .. l:match("%d+$"), hwcaps.goamd64(l))
end
eq("the known map has nothing else", #hwcaps.all_levels, (function()
  local n = 0
  for _ in pairs(hwcaps.known) do n = n + 1 end
  return n
end)())

for _, c in ipairs({
  { {}, "" },
  { { "a" }, "a" },
  { { "a", "b" }, "a or b" },
  { { "a", "b", "c" }, "a, b or c" },
}) do
  eq("alternatives of " .. show(c[1]), c[2], hwcaps.alternatives(c[1]))
end

-- ---- level validation and its messages -----------------------------------
for _, l in ipairs(hwcaps.all_levels) do
  eq("check_level accepts " .. l, l, hwcaps.check_level(l, "%hwcaps_cflags"))
end
for _, c in ipairs({
  { "x86-64-v5", "%hwcaps_cflags" },
  { "x86-64-v1", "%hwcaps_goamd64" },
  { "", "%hwcaps_ldflags" },
  { "X86-64-V3", "%hwcaps_set_build_flags" },
}) do
  fails("check_level rejects " .. show(c[1]) .. " in " .. c[2],
    'hwcaps: unknown level "' .. c[1] .. '" in ' .. c[2] .. ' (expected x86-64-v2, x86-64-v3 or x86-64-v4)',
    hwcaps.check_level, c[1], c[2])
end

for _, c in ipairs({
  { "x86-64-v3", { "x86-64-v3" } },
  { "  x86-64-v4\tx86-64-v2 \n", { "x86-64-v4", "x86-64-v2" } },
  { "x86-64-v2 x86-64-v3 x86-64-v4", hwcaps.all_levels },
  { "", {} },
}) do
  eq("parse_levels " .. show(c[1]), c[2], hwcaps.parse_levels(c[1]))
end
fails("a level listed twice", 'hwcaps: level "x86-64-v3" is listed twice in %hwcaps_levels',
  hwcaps.parse_levels, "x86-64-v3 x86-64-v4 x86-64-v3")
fails("an unknown level in %hwcaps_levels",
  'hwcaps: unknown level "x86-64-v9" in %hwcaps_levels (expected x86-64-v2, x86-64-v3 or x86-64-v4)',
  hwcaps.parse_levels, "x86-64-v2 x86-64-v9")
macros.hwcaps_levels = "x86-64-v4 x86-64-v3"
eq("levels() reads %hwcaps_levels", { "x86-64-v4", "x86-64-v3" }, hwcaps.levels())
macros.hwcaps_levels = nil
eq("levels() without %hwcaps_levels", {}, hwcaps.levels())

-- ---- profiles, builds and the shipped profile --------------------------
eq("parse_profiles keeps the order", { "pgo", "none", "a_1-b" }, hwcaps.parse_profiles(" pgo none a_1-b "))
eq("parse_profiles of nothing", {}, hwcaps.parse_profiles(""))
for _, p in ipairs({ "PGO", "a.b", "100%" }) do
  fails("an invalid profile name " .. show(p),
    'hwcaps: invalid profile name "' .. p .. '" in %hwcaps_profiles (expected letters a-z, digits, "_" or "-")',
    hwcaps.parse_profiles, "none " .. p)
end
fails("a profile listed twice", 'hwcaps: profile "pgo" is listed twice in %hwcaps_profiles',
  hwcaps.parse_profiles, "pgo none pgo")

local function names(units)
  local t = {}
  for _, u in ipairs(units) do t[#t + 1] = u.name .. "|" .. u.level .. "|" .. u.profile .. "|" .. u.what end
  return t
end
eq("one build per level without profiles", { "x86-64-v3|x86-64-v3||x86-64-v3", "x86-64-v2|x86-64-v2||x86-64-v2" },
  names(hwcaps.make_units({ "x86-64-v3", "x86-64-v2" }, {})))
eq("one build per level and profile", {
  "x86-64-v2+none|x86-64-v2|none|x86-64-v2 (profile none)",
  "x86-64-v2+pgo|x86-64-v2|pgo|x86-64-v2 (profile pgo)",
  "x86-64-v4+none|x86-64-v4|none|x86-64-v4 (profile none)",
  "x86-64-v4+pgo|x86-64-v4|pgo|x86-64-v4 (profile pgo)",
}, names(hwcaps.make_units({ "x86-64-v2", "x86-64-v4" }, { "none", "pgo" })))

eq("no profiles, nothing to ship", "", hwcaps.pick_ship_profile({}, ""))
eq("the first profile is shipped by default", "none", hwcaps.pick_ship_profile({ "none", "pgo" }, ""))
eq("the named profile is shipped", "pgo", hwcaps.pick_ship_profile({ "none", "pgo" }, " pgo\n"))
fails("a shipped profile without profiles",
  'hwcaps: %hwcaps_ship_profile is "pgo" but %hwcaps_profiles names no profile',
  hwcaps.pick_ship_profile, {}, "pgo")
fails("an unknown shipped profile", 'hwcaps: unknown profile "fdo" in %hwcaps_ship_profile (%hwcaps_profiles: none pgo)',
  hwcaps.pick_ship_profile, { "none", "pgo" }, "fdo")

-- ---- install helper arguments --------------------------------------------
eq("paths of the install helpers", { "/usr/bin/a", "/usr/lib64/libb.so.1" },
  hwcaps.paths("%hwcaps_dispatch", " /usr/bin/a\n/usr/lib64/libb.so.1 "))
for _, f in ipairs({ "bin/a", "/usr/bin/" }) do
  fails("a path that is no installed file: " .. f,
    'hwcaps: %hwcaps_install_variants: "' .. f .. '" is not an installed file path (expected e.g. %{_bindir}/foo)',
    hwcaps.paths, "%hwcaps_install_variants", "/usr/bin/ok " .. f)
end
fails("no paths", "hwcaps: %hwcaps_dispatch: no files named", hwcaps.paths, "%hwcaps_dispatch", " ")

-- ---- shell text, with /bin/sh as the oracle ------------------------------
local function sh(script)
  local p = assert(io.popen(script, "r"))
  local out = p:read("a")
  p:close()
  return out
end
for _, s in ipairs({ "plain", "", "it's", "''", "a b\tc", "$HOME `id` $(id) \\ \" !x", "two\nlines", "%{name}" }) do
  eq("q quotes " .. show(s) .. " as one shell word", s, sh("printf %s " .. hwcaps.q(s)))
end

local list = os.tmpname()
local add = hwcaps.list_add(list, "/usr/bin/glibc-hwcaps", "/usr/bin/glibc-hwcaps/x86-64-v3",
  "/usr/bin/glibc-hwcaps/x86-64-v3/it's")
sh(": > " .. hwcaps.q(list) .. "\n" .. add .. "\n" .. add)
local f = assert(io.open(list))
eq("list_add writes each %files line once", "%dir /usr/bin/glibc-hwcaps\n%dir /usr/bin/glibc-hwcaps/x86-64-v3\n" ..
  "/usr/bin/glibc-hwcaps/x86-64-v3/it's\n", f:read("a"))
f:close()
os.remove(list)
check("list_add writes %dir as \\045, not as a directive rpm would see", not add:find("%dir", 1, true))

-- ---- flags -----------------------------------------------------------------
for _, c in ipairs({
  { "-O2 -g -march=x86-64 -mtune=generic -fcf-protection", "-O2 -g -fcf-protection -march=x86-64-v3 -mtune=generic" },
  { "  -O2\n-g  ", "-O2 -g -march=x86-64-v3 -mtune=generic" },
  { "", "-march=x86-64-v3 -mtune=generic" },
  { "-march=native -mtune=native -mtune=x", "-march=x86-64-v3 -mtune=generic" },
}) do
  eq("retarget " .. show(c[1]), c[2], hwcaps.retarget(c[1], "x86-64-v3"))
end

macros.optflags = "-O2 -march=x86-64"
macros._hwcaps_ld_isa_marker = " 1\n"
eq("cflags fall back to %optflags", "-O2 -march=x86-64-v4 -mtune=generic", hwcaps.cflags("x86-64-v4"))
eq("ldflags are the marker without distro link flags", "-Wl,-z,x86-64-v2", hwcaps.ldflags("x86-64-v2"))
macros.build_ldflags = "-Wl,-z,relro"
eq("ldflags: the distro's, then the marker", "-Wl,-z,relro -Wl,-z,x86-64-v2", hwcaps.ldflags("x86-64-v2"))
macros._hwcaps_ld_isa_marker = "0"
eq("ldflags without the marker", "-Wl,-z,relro", hwcaps.ldflags("x86-64-v2"))
eq("rustflags without the marker", "-C target-cpu=x86-64-v3", hwcaps.rustflags("x86-64-v3"))
macros.hwcaps_split, macros.hwcaps_parallel = "0", "1"
check("a flag macro of 0 is off", not hwcaps.flag("hwcaps_split"))
check("a flag macro of 1 is on", hwcaps.flag("hwcaps_parallel"))
check("an undefined flag macro is off", not hwcaps.flag("hwcaps_undefined"))

rpm = real_rpm -- luacheck: ignore 121
say(string.format("%d passed, %d failed", passed, #failed))
if #failed > 0 then
  error(#failed .. " failed:\n" .. table.concat(failed, "\n"), 0)
end
