#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every entry point names the same file, over generated inputs.

For each combination of kernel command line x the service manager's
environment (which a service inherits) x hwcaps.conf with drop-ins (modes,
masking, layering) x ownership and modes of the level directories x the way
the program is installed (a link to the stub, or an alias of one), this runs

  - the system environment generator (it compiles the boot's options into
    run/hwcaps/policy and prints PATH), then a shell lookup in that PATH,
    and runs what the shell finds; hwcaps path must print the same PATH;
  - the program by its absolute path (the dispatch stub);
  - hwcaps which -q, by name in that PATH and by absolute path;
  - hwcaps exec, the same two ways;
  - hwcaps status --json (the highest active level directory);

and checks that they all run (or name) the same file, or all refuse -- and
that this file is the one the rule gives, computed here independently: any
off wins, the lowest cap wins, a value that cannot be parsed counts as off,
and the highest safe level at or below the result runs.

Usage: test-agree.py GENERATOR HWCAPS STUB VARIANT
Environment: SYSCONFDIR, VENDORCONFDIR (meson's), HWCAPS_AGREE_CASES
(default 320), HWCAPS_AGREE_SEED (default 11). Needs root (the level
directories must be root's). Exit 0 pass, 1 fail, 77 skip."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

GEN, HWCAPS, STUB, VARIANT = (os.path.realpath(a) for a in sys.argv[1:5])
SYSCONFDIR = os.environ["SYSCONFDIR"]
VENDORCONFDIR = os.environ["VENDORCONFDIR"]
CASES = int(os.environ.get("HWCAPS_AGREE_CASES", "320"))
SEED = int(os.environ.get("HWCAPS_AGREE_SEED", "11"))

if os.geteuid() != 0:
    print("SKIP: needs root: level directories must be root's to be used")
    sys.exit(77)
if "noexec" in os.popen("findmnt -T /run -no OPTIONS 2>/dev/null").read().strip().split(","):
    print("SKIP: /run is mounted noexec: no safe place for fixtures the stub may run")
    sys.exit(77)

# The CPU's level: the same engine, checked against ld.so in tests/cli.
CPU = int(subprocess.run([HWCAPS, "level"], capture_output=True, text=True, check=True).stdout.strip()[-1])

# option -> the cap it means (1 = off), by the rule
CMDLINES = {
    "": 4, "quiet hwcaps=off": 1, "hwcaps.max=v2": 2, "hwcaps=OFF": 1, "hwcaps=on": 4,
    "systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2": 2, "hwcaps=bogus": 1,
    "systemd.setenv=HWCAPS=off": 1, "hwcaps.max=x86-64-v3 splash": 3, "quiet\vhwcaps=off": 4,
}
ENVS = {  # the manager's environment, inherited by the service
    "": ({}, 4), "HWCAPS=off": ({"HWCAPS": "off"}, 1), "HWCAPS_MAX_LEVEL=v3": ({"HWCAPS_MAX_LEVEL": "v3"}, 3),
    "HWCAPS=on": ({"HWCAPS": "on"}, 4), "HWCAPS_MAX_LEVEL=bogus": ({"HWCAPS_MAX_LEVEL": "bogus"}, 1),
    "GLIBC_TUNABLES=-AVX2": ({"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2"}, "noavx2"),
}
CONFIGS = {  # name -> ([(path, text, mode)], cap)
    "none": ([], 4),
    "enable=no": ([(SYSCONFDIR + "/hwcaps.conf", "[hwcaps]\nenable=no\n", 0o644)], 1),
    "max-level=v2": ([(SYSCONFDIR + "/hwcaps.conf", "max-level=v2\n", 0o644)], 2),
    "0600 drop-in v3": ([(SYSCONFDIR + "/hwcaps.conf.d/50-admin.conf", "max-level=x86-64-v3\n", 0o600)], 3),
    "vendor off, masked": ([(VENDORCONFDIR + "/50-v.conf", "enable=no\n", 0o644),
                            (SYSCONFDIR + "/hwcaps.conf.d/50-v.conf", "enable=yes\n", 0o644)], 4),
    "runtime v2 after main v3": ([(SYSCONFDIR + "/hwcaps.conf", "max-level=x86-64-v3\n", 0o644),
                                  ("/run/hwcaps.conf.d/10-r.conf", "max-level=v2\n", 0o644)], 2),
}
DIRS = {  # name -> levels whose directory is safe (and present)
    "safe": {1, 2, 3, 4}, "v3 group-writable": {1, 2, 4}, "v4 not root's": {1, 2, 3},
    "glibc-hwcaps sticky": set(), "v3 via a user's tree": {1, 2, 4}, "v2 missing": {1, 3, 4},
}
INSTALLS = ["link", "alias"]  # bin/foo -> stub; bin/foo -> foo-real -> stub


def sh(*cmd):
    subprocess.run(cmd, check=True)


def expected(cmdline, env, config, dirs):
    cpu = CPU
    caps = [CMDLINES[cmdline], CONFIGS[config][1]]
    e = ENVS[env][1]
    if e == "noavx2":
        cpu = min(cpu, 2)
    else:
        caps.append(e)
    top = max(1, min([cpu] + caps))
    usable = [l for l in DIRS[dirs] if l <= top]
    return max(usable) if usable else None


class Fixture:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="hwcaps-agree-", dir="/run")
        os.chmod(self.root, 0o755)
        self.bin = self.root + "/bin"
        d = self.root + ".d"
        self.gen = d + "/system-environment-generators/60-hwcaps"
        os.makedirs(os.path.dirname(self.gen))
        os.symlink(GEN, self.gen)
        # The generator checks PATH entries under HWCAPS_ROOT, the stub
        # the real ones: ROOT/bin is named by its real path in PATH, and
        # ROOT + ROOT leads back to ROOT (a link to "/" inside the root).
        os.makedirs(self.root + "/run/hwcaps", mode=0o755)
        os.makedirs(self.root + "/proc")
        rel = os.path.relpath(self.root, "/")
        os.makedirs(os.path.dirname(self.root + "/" + rel), exist_ok=True)
        os.symlink("/", self.root + "/" + rel)

    def done(self):
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.root + ".d", ignore_errors=True)

    def setup(self, cmdline, config, dirs, install):
        r = self.root
        with open(r + "/proc/cmdline", "w") as f:
            f.write(cmdline + "\n")
        for d in [SYSCONFDIR, VENDORCONFDIR, "/run/hwcaps.conf.d", "/home", "/bin"]:
            shutil.rmtree(r + d, ignore_errors=True)
        for path, text, mode in CONFIGS[config][0]:
            os.makedirs(os.path.dirname(r + path), exist_ok=True)
            with open(r + path, "w") as f:
                f.write(text)
            os.chmod(r + path, mode)
        name = "foo" if install == "link" else "foo-real"
        for l in range(1, 5):
            lv = "%s/glibc-hwcaps/x86-64-v%d" % (self.bin, l)
            os.makedirs(lv)
            shutil.copy(VARIANT, lv + "/" + name)
        if install == "link":
            os.symlink(STUB, self.bin + "/foo")
        else:
            os.symlink(STUB, self.bin + "/foo-real")
            os.symlink("foo-real", self.bin + "/foo")
        gh = self.bin + "/glibc-hwcaps"
        if dirs == "v3 group-writable":
            os.chmod(gh + "/x86-64-v3", 0o775)
        elif dirs == "v4 not root's":
            os.chown(gh + "/x86-64-v4", 65534, 65534)
        elif dirs == "glibc-hwcaps sticky":
            os.chmod(gh, 0o1755)
        elif dirs == "v3 via a user's tree":
            os.makedirs(r + "/home/u/pub")
            shutil.move(gh + "/x86-64-v3", r + "/home/u/pub/x86-64-v3")
            os.chown(r + "/home/u", 65534, 65534)
            os.symlink("../../home/u/pub/x86-64-v3", gh + "/x86-64-v3")
        elif dirs == "v2 missing":
            shutil.rmtree(gh + "/x86-64-v2")

    def env(self, menv, **more):
        e = {"HWCAPS_ROOT": self.root, "VARIANT_EXE": "1", "NO_COLOR": "1",
             "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
        e.update(menv)
        e.update(more)
        return e


def run(cmd, env):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def ran(rc, out):
    """The file a variant says it ran from, or None when nothing ran."""
    for line in out.splitlines():
        if line.startswith("exe="):
            return os.path.realpath(line[4:]) if rc == 0 else None
    return None


def level_of(path):
    if path is None:
        return None
    i = path.find("/x86-64-v")
    return int(path[i + 9]) if i >= 0 else None


def one(fx, cmdline, env, config, dirs, install):
    fx.setup(cmdline, config, dirs, install)
    menv = ENVS[env][0]
    base_path = fx.bin + ":/usr/bin:/bin"
    rc, out, err = run([fx.gen], fx.env(menv, PATH=base_path))
    if rc != 0 or (out and not out.startswith('PATH="')):
        return "generator: exit %d, %r %r" % (rc, out, err)
    path = base_path
    if out:
        path = subprocess.run(["sh", "-c", out.strip() + '; printf %s "$PATH"'], capture_output=True,
                              text=True, check=True).stdout
    # hwcaps path, in this environment, prints what the generator printed
    rc, o, err = run([HWCAPS, "path", "--path", base_path], fx.env(menv))
    if rc != 0 or o.rstrip("\n") != path:
        return "hwcaps path: %r (exit %d), the generator: %r" % (o, rc, path)
    e = fx.env(menv, PATH=path)
    got = {}
    rc, o, _ = run(["sh", "-c", "exec foo"], e)
    got["shell lookup in the generator's PATH"] = ran(rc, o)
    rc, o, _ = run([fx.bin + "/foo"], e)
    got["the stub by absolute path"] = ran(rc, o)
    for how, name in (("by name", "foo"), ("by path", fx.bin + "/foo")):
        rc, o, _ = run([HWCAPS, "which", "-q", name], e)
        got["which " + how] = os.path.realpath(o.strip()) if rc == 0 and o.strip() else None
        rc, o, _ = run([HWCAPS, "exec", name], e)
        got["exec " + how] = ran(rc, o)
    rc, o, err = run([HWCAPS, "status", "--json"], e)
    if rc not in (0, 1):  # 1: it advises action
        return "status: exit %d %s" % (rc, err)
    st = json.loads(o)
    active = [int(d["level"][-1]) for d in st["level_directories"]
              if d["active"] and d["path"].startswith(fx.bin + "/glibc-hwcaps/")]
    want = expected(cmdline, env, config, dirs)
    files = set(got.values())
    levels = {level_of(f) for f in files}
    problems = []
    if len(files) != 1:
        problems.append("entry points disagree:\n" + "\n".join("    %-38s %s" % (k, v) for k, v in got.items()))
    if levels != {want}:
        problems.append("ran level %s, the rule says %s" % (sorted(levels, key=str), want))
    # status: the highest active level directory of ROOT/bin is what a
    # PATH lookup finds (the baseline when none is active)
    if want is not None and (max(active) if active else 1) != want:
        problems.append("status: active level directories %s, the rule says %s" % (active, want))
    return "\n  ".join(problems) or None


def main():
    combos = [(c, e, f, d, i) for c in CMDLINES for e in ENVS for f in CONFIGS for d in DIRS for i in INSTALLS]
    rng = random.Random(SEED)
    picked = rng.sample(combos, min(CASES, len(combos)))
    fx = Fixture()
    passed = failed = 0
    try:
        for c in picked:
            why = one(fx, *c)
            if why:
                failed += 1
                print("FAIL cmdline=%r env=%r config=%r dirs=%r install=%r:\n  %s" % (c + (why,)))
            else:
                passed += 1
    finally:
        fx.done()
    print("%d combinations (of %d, seed %d, CPU x86-64-v%d): %d agree, %d do not" %
          (len(picked), len(combos), SEED, CPU, passed, failed))
    sys.exit(1 if failed else 0)


main()
