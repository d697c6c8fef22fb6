-- hwcaps.lua — the Lua behind macros.hwcaps and macros.hwcaps-profile.
-- Installed in rpm's Lua directory (%{_rpmluadir}); the macros load it once
-- per rpm run through %{_hwcaps_lua} into the global table "hwcaps" and call
-- its functions.  Reference: hwcaps-macros(7).
--
-- Written for rpm 4.18's Lua (5.3 on Debian 12, 5.4 on Fedora).  Loading
-- this file needs nothing from rpm, only the functions that read or define
-- macros (rpm.expand, rpm.define) do: the pure ones are tested with a plain
-- Lua interpreter (tests/unit/test-hwcaps-lua.lua).

local hwcaps = {}

-- The levels the macros know, in order: their only spelling in the macros.
-- Keep this one line; the build may generate it from dispatch/level.c.
hwcaps.all_levels = { "x86-64-v2", "x86-64-v3", "x86-64-v4" }

-- Level name -> its number (GOAMD64=v<number>).
hwcaps.known = {}
for _, l in ipairs(hwcaps.all_levels) do
  hwcaps.known[l] = assert(tonumber(l:match("^x86%-64%-v(%d+)$")), "hwcaps.lua: not a level name: " .. l)
end

-- "a, b or c", as a message lists the choices.
function hwcaps.alternatives(t)
  if #t < 2 then return t[1] or "" end
  return table.concat(t, ", ", 1, #t - 1) .. " or " .. t[#t]
end

-- The default of %hwcaps_levels: every known level.
function hwcaps.default_levels()
  return table.concat(hwcaps.all_levels, " ")
end

function hwcaps.fail(msg)
  -- %{error:} makes rpmbuild stop with exactly this line; the text goes
  -- through the macro expander, so its % signs are escaped (its braces
  -- are balanced in every message).
  local m = msg:gsub("%%", "%%%%")
  rpm.expand("%{error:hwcaps: " .. m .. "}")
  error("hwcaps: " .. msg, 0)
end

function hwcaps.check_level(l, where)
  if not hwcaps.known[l] then
    hwcaps.fail(string.format('unknown level "%s" in %s (expected %s)', l, where, hwcaps.alternatives(hwcaps.all_levels)))
  end
  return l
end

-- The levels of TEXT (a value of %hwcaps_levels), in order.
function hwcaps.parse_levels(text)
  local t, seen = {}, {}
  for l in text:gmatch("%S+") do
    hwcaps.check_level(l, "%hwcaps_levels")
    if seen[l] then
      hwcaps.fail(string.format('level "%s" is listed twice in %%hwcaps_levels', l))
    end
    seen[l] = true
    t[#t + 1] = l
  end
  return t
end

function hwcaps.levels()
  return hwcaps.parse_levels(rpm.expand("%{?hwcaps_levels}"))
end

-- The profiles of TEXT (a value of %hwcaps_profiles), in order; {} for "".
function hwcaps.parse_profiles(text)
  local t, seen = {}, {}
  for p in text:gmatch("%S+") do
    if not p:match("^[a-z0-9_-]+$") then
      hwcaps.fail(string.format('invalid profile name "%s" in %%hwcaps_profiles (expected letters a-z, digits, "_" or "-")', p))
    end
    if seen[p] then
      hwcaps.fail(string.format('profile "%s" is listed twice in %%hwcaps_profiles', p))
    end
    seen[p] = true
    t[#t + 1] = p
  end
  return t
end

function hwcaps.profiles()
  return hwcaps.parse_profiles(rpm.expand("%{?hwcaps_profiles}"))
end

-- The builds: one per level, or one per (level x profile).  Each has
-- level, profile ("" without profiles), name (its tree under
-- %{_hwcaps_dir}: <level> or <level>+<profile>) and what (for messages).
function hwcaps.make_units(levels, profiles)
  local t = {}
  for _, l in ipairs(levels) do
    if #profiles == 0 then
      t[#t + 1] = { level = l, profile = "", name = l, what = l }
    else
      for _, p in ipairs(profiles) do
        t[#t + 1] = { level = l, profile = p, name = l .. "+" .. p, what = l .. " (profile " .. p .. ")" }
      end
    end
  end
  return t
end

function hwcaps.units()
  local profiles = hwcaps.profiles()
  return hwcaps.make_units(hwcaps.levels(), profiles)
end

-- The profile whose builds %hwcaps_install_variants ships, given the
-- profiles and the value of %hwcaps_ship_profile; "" without profiles.
function hwcaps.pick_ship_profile(profiles, want)
  want = want:match("^%s*(.-)%s*$")
  if #profiles == 0 then
    if want ~= "" then
      hwcaps.fail(string.format('%%hwcaps_ship_profile is "%s" but %%hwcaps_profiles names no profile', want))
    end
    return ""
  end
  if want == "" then return profiles[1] end
  for _, p in ipairs(profiles) do
    if p == want then return p end
  end
  hwcaps.fail(string.format('unknown profile "%s" in %%hwcaps_ship_profile (%%hwcaps_profiles: %s)', want, table.concat(profiles, " ")))
end

function hwcaps.ship_profile()
  local profiles = hwcaps.profiles()
  return hwcaps.pick_ship_profile(profiles, rpm.expand("%{?hwcaps_ship_profile}"))
end

function hwcaps.flag(name)
  local v = rpm.expand("%{?" .. name .. "}")
  return v ~= "0" and v ~= ""
end

-- The distro's flags with -march=/-mtune= replaced by the level's.
function hwcaps.retarget(flags, l)
  local out = {}
  for w in flags:gmatch("%S+") do
    if not (w:match("^%-march=") or w:match("^%-mtune=")) then
      out[#out + 1] = w
    end
  end
  out[#out + 1] = "-march=" .. l
  out[#out + 1] = "-mtune=generic"
  return table.concat(out, " ")
end

-- The first of the named macros that is defined and not empty.
function hwcaps.first(...)
  for _, m in ipairs({...}) do
    local v = rpm.expand("%{?" .. m .. "}")
    if v:match("%S") then return v end
  end
  return ""
end

function hwcaps.cflags(l) return hwcaps.retarget(hwcaps.first("build_cflags", "optflags"), l) end
function hwcaps.cxxflags(l) return hwcaps.retarget(hwcaps.first("build_cxxflags", "optflags"), l) end
function hwcaps.fflags(l) return hwcaps.retarget(hwcaps.first("build_fflags", "optflags"), l) end

function hwcaps.marker(l)
  if rpm.expand("%{?_hwcaps_ld_isa_marker}"):match("^%s*1%s*$") then
    return "-Wl,-z," .. l
  end
  return ""
end

function hwcaps.ldflags(l)
  local base = hwcaps.first("build_ldflags", "__global_ldflags")
  local m = hwcaps.marker(l)
  if base == "" then return m end
  if m == "" then return base end
  return base .. " " .. m
end

function hwcaps.rustflags(l)
  local t = {}
  local base = hwcaps.first("build_rustflags")
  if base ~= "" then t[#t + 1] = base end
  t[#t + 1] = "-C target-cpu=" .. l
  local m = hwcaps.marker(l)
  if m ~= "" then t[#t + 1] = "-C link-arg=" .. m end
  return table.concat(t, " ")
end

function hwcaps.goamd64(l) return "v" .. hwcaps.known[l] end

-- S as one shell word in single quotes.
function hwcaps.q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

function hwcaps.env(l, u)
  local d = rpm.expand("%{_hwcaps_dir}")
  local t = {
    { "HWCAPS_LEVEL", l },
    { "HWCAPS_DESTDIR", d .. "/" .. (u and u.name or l) .. "-root" },
    { "CFLAGS", hwcaps.cflags(l) },
    { "CXXFLAGS", hwcaps.cxxflags(l) },
    { "FFLAGS", hwcaps.fflags(l) },
    { "FCFLAGS", hwcaps.fflags(l) },
    { "LDFLAGS", hwcaps.ldflags(l) },
    { "RUSTFLAGS", hwcaps.rustflags(l) },
    { "GOAMD64", hwcaps.goamd64(l) },
  }
  if u and u.profile ~= "" then
    table.insert(t, 2, { "HWCAPS_PROFILE", u.profile })
  end
  local out = {}
  for _, kv in ipairs(t) do
    out[#out + 1] = kv[1] .. "=" .. hwcaps.q(kv[2]) .. "; export " .. kv[1]
  end
  return table.concat(out, "\n")
end

-- Run the buildroot check at the end of %install once the macros are used:
-- rpm 4.18 has no list of policy hooks, so append to %__os_install_post,
-- which %__spec_install_post runs after the %install body.
function hwcaps.hook()
  if hwcaps.hooked then return end
  hwcaps.hooked = true
  local b = rpm.expand("%{macrobody:__os_install_post}"):gsub("^%s+", "")
  rpm.define("__os_install_post " .. b:gsub("\n", "\\\n") .. "\\\n%{?__brp_hwcaps_check}\\\n%{nil}")
end

-- Shell text that starts the file lists afresh once per rpmbuild run, at
-- the first install-phase macro.  rpm 4.18 fails on a %files -f list with
-- no line but comments ("Empty %files file"), and the main list has
-- nothing when no program is dispatched: each list starts with rpm's
-- default %defattr, which changes nothing.
function hwcaps.lists()
  if hwcaps.lists_done then return "" end
  hwcaps.lists_done = true
  local d = rpm.expand("%{_hwcaps_dir}")
  local s = "mkdir -p " .. hwcaps.q(d) .. "\n"
  local lists = { "main" }
  for _, l in ipairs(hwcaps.levels()) do lists[#lists + 1] = l end
  for _, l in ipairs(lists) do
    s = s .. "printf '\\045defattr(-,root,root,-)\\n' > " .. hwcaps.q(d .. "/files-" .. l .. ".list") .. "\n"
  end
  return s
end

-- Shell text that runs CMD for every level, in the level's tree with the
-- level's environment; phase is "build", "install" or "check".
function hwcaps.loop(phase, cmd)
  local d = rpm.expand("%{_hwcaps_dir}")
  local units = hwcaps.units()
  local parallel = phase == "build" and hwcaps.flag("hwcaps_parallel") and #units > 1
  local tool = rpm.expand("%{__hwcaps}")
  if parallel then
    -- A make given -jN on its command line leaves the inherited jobserver
    -- and starts N slots of its own (GNU make 4.3: "-jN forced in submake:
    -- resetting jobserver mode"), so %{_smp_mflags} and any other -jN or
    -- --jobs=N word is dropped: each level's make then takes its slots
    -- from the one shared jobserver.
    -- Each word keeps the white space before it, so that a multi-line
    -- command (%configure) keeps its lines.
    local words, skip_num = {}, false
    for sp, w in (" " .. cmd):gmatch("(%s+)(%S+)") do
      if skip_num and w:match("^%d+$") then
        skip_num = false
      elseif w == "-j" or w == "--jobs" then
        skip_num = true
      elseif not (w:match("^%-j%d+$") or w:match("^%-%-jobs=%d+$")) then
        skip_num = false
        words[#words + 1] = sp .. w
      end
    end
    cmd = table.concat(words):gsub("^ ", "")
  end
  if phase == "install" then
    -- %make_install and friends name %{buildroot}: each level installs
    -- into its own staging root instead.
    local br = rpm.expand("%{buildroot}")
    local i = 1
    while br ~= "" do
      local s, e = cmd:find(br, i, true)
      if not s then break end
      cmd = cmd:sub(1, s - 1) .. "${HWCAPS_DESTDIR}" .. cmd:sub(e + 1)
      i = s + #"${HWCAPS_DESTDIR}"
    end
  end
  local out = { "mkdir -p " .. hwcaps.q(d) }
  if phase == "install" then out[#out + 1] = hwcaps.lists() end
  for _, u in ipairs(units) do
    out[#out + 1] = "cat > " .. hwcaps.q(d .. "/env-" .. u.name .. ".sh") .. " <<'__HWCAPS_ENV__'\n" .. hwcaps.env(u.level, u) .. "\n__HWCAPS_ENV__"
  end
  out[#out + 1] = "HWCAPS_TOOL=" .. hwcaps.q(tool) .. "; export HWCAPS_TOOL"
  out[#out + 1] = "cat > " .. hwcaps.q(d .. "/" .. phase .. ".cmd") .. " <<'__HWCAPS_CMD__'\n" .. cmd .. "\n__HWCAPS_CMD__"
  out[#out + 1] = "cat > " .. hwcaps.q(d .. "/run.sh") .. " <<'__HWCAPS_RUN__'\n" .. [[
# run.sh TREE PHASE: one build's (a level's, or a level and profile's)
# build or install, named when it fails; TREE is <level> or <level>+<profile>.
d=$(dirname "$0")
HWCAPS_PROFILE=
. "$d/env-$1.sh"
what=$HWCAPS_LEVEL
[ -z "$HWCAPS_PROFILE" ] || what="$HWCAPS_LEVEL (profile $HWCAPS_PROFILE)"
if [ "$2" = install ]; then rm -rf "$HWCAPS_DESTDIR" && mkdir -p "$HWCAPS_DESTDIR" || exit 1; fi
cd "$d/$1" || { echo "error: hwcaps: no source tree for $1 in $d (is %hwcaps_setup missing from %prep?)" >&2; exit 1; }
if [ "$2" = check ] && ! "$HWCAPS_TOOL" levels 2>/dev/null | grep -qx "$HWCAPS_LEVEL"; then
        echo "hwcaps: skipping the $what tests: this build host does not support $HWCAPS_LEVEL ($HWCAPS_TOOL levels)" >&2
        exit 0
fi
echo "hwcaps: $2 $what" >&2
/bin/sh -e -x "$d/$2.cmd"
rc=$?
if [ $rc -ne 0 ]; then
        echo "error: hwcaps: %hwcaps_$2 failed for $what (exit status $rc)" >&2
        exit $rc
fi
]] .. "__HWCAPS_RUN__"
  if parallel then
    local names = {}
    for _, u in ipairs(units) do names[#names + 1] = u.name end
    local mk = { "all: " .. table.concat(names, " "), ".PHONY: all " .. table.concat(names, " ") }
    for _, u in ipairs(units) do
      -- "+": make treats the recipe as a sub-make and hands it the jobserver.
      mk[#mk + 1] = u.name .. ":\n\t+@/bin/sh " .. hwcaps.q(d .. "/run.sh") .. " " .. u.name .. " " .. phase
    end
    local n = hwcaps.first("_smp_build_ncpus")
    if n == "" then n = "1" end
    out[#out + 1] = "cat > " .. hwcaps.q(d .. "/" .. phase .. ".mk") .. " <<'__HWCAPS_MK__'\n" .. table.concat(mk, "\n") .. "\n__HWCAPS_MK__"
    out[#out + 1] = "unset MAKEFLAGS MFLAGS MAKELEVEL"
    -- No -s: it would reach the levels' makes through MAKEFLAGS and hide
    -- their commands from the build log.
    local make = hwcaps.first("__make")
    if make == "" then make = "make" end
    out[#out + 1] = make .. " -f " .. hwcaps.q(d .. "/" .. phase .. ".mk") .. " -j" .. n ..
      " || { echo 'error: hwcaps: %hwcaps_" .. phase .. " stopped (the failing level is named above)' >&2; exit 1; }"
  else
    for _, u in ipairs(units) do
      out[#out + 1] = "/bin/sh " .. hwcaps.q(d .. "/run.sh") .. " " .. u.name .. " " .. phase .. " || exit 1"
    end
  end
  hwcaps.hook()
  return table.concat(out, "\n")
end

-- Shell text adding a file and its two directories to a %files list,
-- each line once (rpm warns about a file listed twice).  \045 is "%":
-- a percent sign in this text would be taken for a macro.
function hwcaps.list_add(list, hwdir, leveldir, file)
  local t = {}
  for _, l in ipairs({ { "\\045dir %s", hwdir }, { "\\045dir %s", leveldir }, { "%s", file } }) do
    t[#t + 1] = "l=$(printf '" .. l[1] .. "' " .. hwcaps.q(l[2]) .. "); grep -qxF -- \"$l\" " .. hwcaps.q(list) ..
      " || printf '%s\\n' \"$l\" >> " .. hwcaps.q(list)
  end
  return table.concat(t, "\n")
end

-- The FILE arguments (TEXT) of the install helper WHAT, checked.
function hwcaps.paths(what, text)
  local t = {}
  for f in text:gmatch("%S+") do
    if not f:match("^/") or f:match("/$") then
      hwcaps.fail(string.format('%s: "%s" is not an installed file path (expected e.g. %%{_bindir}/foo)', what, f))
    end
    t[#t + 1] = f
  end
  if #t == 0 then hwcaps.fail(what .. ": no files named") end
  return t
end

-- %hwcaps_setup: one copy of the source tree per build.
function hwcaps.setup()
  local d = rpm.expand("%{_hwcaps_dir}")
  local s = { "rm -rf " .. hwcaps.q(d), "mkdir -p " .. hwcaps.q(d) }
  for _, u in ipairs(hwcaps.units()) do
    s[#s + 1] = "mkdir " .. hwcaps.q(d .. "/" .. u.name) .. " && cp -a . " .. hwcaps.q(d .. "/" .. u.name .. "/")
  end
  hwcaps.hook()
  return table.concat(s, "\n")
end

-- %hwcaps_install_variants FILE...: ARGS is the macro's arguments.
function hwcaps.install_variants(args)
  local d = rpm.expand("%{_hwcaps_dir}")
  local br = rpm.expand("%{buildroot}")
  local split = hwcaps.flag("hwcaps_split")
  local files = hwcaps.paths("%hwcaps_install_variants", args)
  local ship = hwcaps.ship_profile()
  local s = { hwcaps.lists() }
  for _, l in ipairs(hwcaps.levels()) do
    local list = d .. "/files-" .. (split and l or "main") .. ".list"
    local tree = ship == "" and l or l .. "+" .. ship
    if ship ~= "" then s[#s + 1] = "echo " .. hwcaps.q("hwcaps: shipping " .. l .. " (profile " .. ship .. ")") .. " >&2" end
    for _, f in ipairs(files) do
      local dir, base = f:match("^(.*)/([^/]+)$")
      local src = d .. "/" .. tree .. "-root" .. f
      local dst = dir .. "/glibc-hwcaps/" .. l
      s[#s + 1] = string.format('{ [ -e %s ] || [ -L %s ]; } || { echo %s >&2; exit 1; }', hwcaps.q(src), hwcaps.q(src),
        hwcaps.q("error: hwcaps: %hwcaps_install_variants: " .. f .. " was not installed for " .. (ship == "" and l or l .. " (profile " .. ship .. ")") .. " (no " .. src .. "; did %hwcaps_install run?)"))
      s[#s + 1] = "mkdir -p " .. hwcaps.q(br .. dst) .. " && cp -pP " .. hwcaps.q(src) .. " " .. hwcaps.q(br .. dst .. "/" .. base)
      s[#s + 1] = hwcaps.list_add(list, dir .. "/glibc-hwcaps", dst, dst .. "/" .. base)
    end
  end
  hwcaps.hook()
  return table.concat(s, "\n")
end

-- %hwcaps_dispatch PATH...: ARGS is the macro's arguments.
function hwcaps.dispatch(args)
  local d = rpm.expand("%{_hwcaps_dir}")
  local br = rpm.expand("%{buildroot}")
  local stub = rpm.expand("%{_hwcaps_stub}")
  local s = { hwcaps.lists() }
  for _, f in ipairs(hwcaps.paths("%hwcaps_dispatch", args)) do
    local dir, base = f:match("^(.*)/([^/]+)$")
    local v1 = dir .. "/glibc-hwcaps/x86-64-v1"
    s[#s + 1] = string.format('{ [ -f %s ] && [ ! -L %s ]; } || { echo %s >&2; exit 1; }', hwcaps.q(br .. f), hwcaps.q(br .. f),
      hwcaps.q("error: hwcaps: %hwcaps_dispatch: " .. f .. " is not a regular file in the buildroot (install the baseline first)"))
    s[#s + 1] = "mkdir -p " .. hwcaps.q(br .. v1) .. " && mv " .. hwcaps.q(br .. f) .. " " .. hwcaps.q(br .. v1 .. "/" .. base)
    s[#s + 1] = "ln -s " .. hwcaps.q(stub) .. " " .. hwcaps.q(br .. f)
    s[#s + 1] = hwcaps.list_add(d .. "/files-main.list", dir .. "/glibc-hwcaps", v1, v1 .. "/" .. base)
  end
  hwcaps.hook()
  return table.concat(s, "\n")
end

-- %hwcaps_subpackages: the preamble of one subpackage per level, or ""
-- when %hwcaps_split is 0.  Lua output is not expanded again, so the
-- macros in it are expanded here.  (rpm's print() into a macro adds no
-- newline: the blocks are joined as they are.)
function hwcaps.subpackages()
  if not hwcaps.flag("hwcaps_split") then return "" end
  local e = rpm.expand
  local d = e("%{_hwcaps_dir}")
  local req = e("%{name}%{?_isa} = %{version}-%{release}")
  local out = {}
  for _, l in ipairs(hwcaps.levels()) do
    out[#out + 1] = string.format([[

%%package %s
Summary: %s (%s build)
Requires: %s

%%description %s
The programs and libraries of %s built for x86-64 CPUs of level %s,
installed in glibc-hwcaps/%s/ and chosen automatically on such CPUs.

%%files %s -f %s
]], l, e("%{?summary}"), l, req, l, e("%{name}"), l, l, l, d .. "/files-" .. l .. ".list")
  end
  return table.concat(out)
end

-- ---- Feedback profiles (macros.hwcaps-profile) ----------------------------
-- These read the profile macros through rpm.expand, so that a spec's
-- override of any of them (%hwcaps_profile_compiler, ...) counts.

-- "clang" or "gcc": %toolchain (Fedora), else the C compiler's name.
function hwcaps.profile_compiler()
  local t = rpm.expand("%{?toolchain}")
  if t == "" then
    t = rpm.expand("%{?__cc}"):match("clang") and "clang" or "gcc"
  end
  if t ~= "clang" and t ~= "gcc" then
    rpm.expand('%{error:hwcaps: unknown %%toolchain "' .. t .. '" (expected gcc or clang)}')
  end
  return t
end

function hwcaps.pgo_gen_flags()
  if rpm.expand("%{hwcaps_profile_compiler}") == "clang" then
    return "-fprofile-generate=" .. rpm.expand("%{_hwcaps_pgo_dir}/raw")
  end
  return "-fprofile-generate=" .. rpm.expand("%{_hwcaps_pgo_dir}/gcda") .. " -fprofile-update=atomic " .. rpm.expand("%{_hwcaps_gcc_prefix}")
end

function hwcaps.pgo_use_flags()
  local stale = rpm.expand("%{?hwcaps_profile_stale_ok}") == "1"
  local p = rpm.expand("%{hwcaps_pgo_profile}")
  if rpm.expand("%{hwcaps_profile_compiler}") == "clang" then
    local f = "-fprofile-use=" .. p
    if stale then f = f .. " -Wno-profile-instr-out-of-date -Wno-profile-instr-unprofiled -Wno-profile-instr-missing" end
    return f
  end
  local f = "-fprofile-use=" .. p .. " " .. rpm.expand("%{_hwcaps_gcc_prefix}")
  if stale then f = f .. " -fprofile-partial-training -fprofile-correction -Wno-missing-profile -Wno-coverage-mismatch" end
  return f
end

-- FILE is the macro's %1: "%1" itself when the macro got no argument.
function hwcaps.sample_use_flags(file)
  if file == "" or file == "%1" then
    rpm.expand("%{error:hwcaps: %%hwcaps_sample_use_flags needs the profile file}")
  end
  local stale = rpm.expand("%{?hwcaps_profile_stale_ok}") == "1"
  if rpm.expand("%{hwcaps_profile_compiler}") == "clang" then
    local f = "-fprofile-sample-use=" .. file .. " -fdebug-info-for-profiling -funique-internal-linkage-names"
    if stale and rpm.expand("%{_hwcaps_clang_salvage}") == "1" then f = f .. " -mllvm -salvage-stale-profile" end
    return f
  end
  return "-fauto-profile=" .. file
end

-- %hwcaps_pgo_train COMMANDS: shell text for the training build and run.
function hwcaps.pgo_train(cmd)
  local q = hwcaps.q
  local d = rpm.expand("%{_hwcaps_pgo_dir}")
  local cc = rpm.expand("%{hwcaps_profile_compiler}")
  -- The training tree is known here: no $PWD for the shell to expand.
  local gen = rpm.expand("%{hwcaps_pgo_gen_flags}"):gsub("%$PWD", function() return d .. "/tree" end)
  local opt = rpm.expand("%{?build_cflags}%{!?build_cflags:%{optflags}}")
  local cxx = rpm.expand("%{?build_cxxflags}%{!?build_cxxflags:%{optflags}}")
  local ld = rpm.expand("%{?build_ldflags}")
  local s = {
    "rm -rf " .. q(d) .. " && mkdir -p " .. q(d .. "/tree") .. " " .. q(d .. "/raw") .. " " .. q(d .. "/gcda"),
    "cp -a . " .. q(d .. "/tree/"),
    "cat > " .. q(d .. "/train.cmd") .. " <<'__HWCAPS_TRAIN__'\n" .. cmd .. "\n__HWCAPS_TRAIN__",
    "echo 'hwcaps: PGO training (" .. cc .. "): instrumented baseline build and training run' >&2",
    "( cd " .. q(d .. "/tree") .. " && CFLAGS=" .. q(opt .. " " .. gen) .. " CXXFLAGS=" .. q(cxx .. " " .. gen) ..
      " LDFLAGS=" .. q((ld ~= "" and ld .. " " or "") .. gen) .. " && export CFLAGS CXXFLAGS LDFLAGS && /bin/sh -e -x " ..
      q(d .. "/train.cmd") .. " ) || { echo 'error: hwcaps: %hwcaps_pgo_train: the training build or run failed' >&2; exit 1; }",
  }
  if cc == "clang" then
    s[#s + 1] = "n=$(find " .. q(d .. "/raw") .. " -name '*.profraw' | wc -l); [ \"$n\" -gt 0 ] || { echo 'error: hwcaps: %hwcaps_pgo_train: the training wrote no .profraw file (did it run the instrumented program?)' >&2; exit 1; }"
    s[#s + 1] = rpm.expand("%{__hwcaps_llvm_profdata}") .. " merge -o " .. q(d .. "/merged.profdata") .. " " .. q(d .. "/raw")
  else
    s[#s + 1] = "n=$(find " .. q(d .. "/gcda") .. " -name '*.gcda' | wc -l); [ \"$n\" -gt 0 ] || { echo 'error: hwcaps: %hwcaps_pgo_train: the training wrote no .gcda file (did it run the instrumented program?)' >&2; exit 1; }"
  end
  s[#s + 1] = "echo \"hwcaps: PGO profile from $n raw profile file(s): " .. rpm.expand("%{hwcaps_pgo_profile}") .. "\" >&2"
  return table.concat(s, "\n")
end

return hwcaps
