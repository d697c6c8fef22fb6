#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fault injection: run a scenario once per failing call.

run-faults.py SHIM SCENARIO ARGS...

For each class of calls (open, read, stat, exec, malloc; see fault-shim.c),
the scenario runs once with nothing failing to count the calls of that class
and take the reference result, then once for every N in 1..count with call
N failing. Each run must end the way the scenario promises (never a signal,
never a sanitizer or valgrind message). Prints one line per class and
"N passed, N failed" over all runs; exit 1 on any failure.

Scenarios:
  cli-path HWCAPS         hwcaps path --root FIXTURE --path P
  cli-dump HWCAPS DUMP    hwcaps explain --cpuid DUMP, hwcaps levels --cpuid DUMP
  cli-level HWCAPS        hwcaps level, hwcaps levels (glibc source)
  cli-check HWCAPS V3 V4  hwcaps check --root on a buildroot whose v3 variant
                          is marked v3 (passes) or v4 (fails)
  cli-which-exec HWCAPS STUB
                          hwcaps exec / hwcaps which, by name through PATH
                          and by absolute path of a copy of the stub, with
                          hwcaps.max=x86-64-v3 in FIXTURE/proc/cmdline
  generator GENERATOR     hwcaps-env-generator with HWCAPS_ROOT=FIXTURE
  stub STUB               hwcaps-dispatch-faults (built with its fault hook)
                          installed as usr/bin/foo of a fixture; SHIM unused
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

CLASSES = ["open", "read", "stat", "exec", "malloc"]
MAX_RUNS = 4000  # per class and command: far above what any command makes


def make_fixture(root, cmdline="BOOT_IMAGE=/vmlinuz ro quiet hwcaps.max=x86-64-v3\n",
                 conf="[hwcaps]\n# defaults\n"):
    """usr/bin with safe v2..v4 level dirs, opt/bad with a writable one; the
    admin's cap on the kernel command line or in hwcaps.conf."""
    for d in ["usr/bin/glibc-hwcaps/x86-64-v2", "usr/bin/glibc-hwcaps/x86-64-v3",
              "usr/bin/glibc-hwcaps/x86-64-v4", "opt/bad/glibc-hwcaps/x86-64-v2",
              "etc", "proc", "run"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "opt/bad/glibc-hwcaps/x86-64-v2"), 0o777)
    with open(os.path.join(root, "proc/cmdline"), "w") as f:
        f.write(cmdline)
    # Where this build reads hwcaps.conf (meson's sysconfdir, from the test).
    etc = root + os.environ.get("HWCAPS_TEST_SYSCONFDIR", "/etc")
    os.makedirs(etc, exist_ok=True)
    with open(os.path.join(etc, "hwcaps.conf"), "w") as f:
        f.write(conf)


def is_level_entry(e):
    return "/glibc-hwcaps/x86-64-v" in e


def path_is_partial(out, ref):
    """PATH out is ref minus some level directories: a failed stat made a
    level directory look unusable, which only ever leaves it out."""
    o, r = out.split(":"), ref.split(":")
    if [e for e in o if not is_level_entry(e)] != [e for e in r if not is_level_entry(e)]:
        return False
    it = iter(r)
    return all(any(e == x for x in it) for e in o)  # o is a subsequence of r


def lines_differ_only(out, ref, pattern):
    o, r = out.splitlines(), ref.splitlines()
    return len(o) == len(r) and all(a == b or re.search(pattern, a) for a, b in zip(o, r))


def cli_check(partial_path=False, degraded=None):
    """hwcaps: exit 0 with the reference output (or, for path, a PATH that
    only lacks level directories; or lines matching degraded where a part
    reports that it failed), or exit 1 with a message and no output."""
    def check(rc, out, err, ref):
        if rc == 0:
            if out == ref[1]:
                return None
            if degraded and lines_differ_only(out, ref[1], degraded):
                return None
            if partial_path and path_is_partial(out.strip(), ref[1].strip()):
                return None
            return "exit 0 with different output:\n%s\nreference:\n%s" % (out, ref[1])
        if rc == 1:
            if out.strip():
                return "exit 1 but printed output: %r" % out[:200]
            if not err.startswith("hwcaps: "):
                return "exit 1 without a 'hwcaps: ' message: %r" % err[:200]
            return None
        return "exit status %d (expected 0 or 1)" % rc
    return check


def generator_check(rc, out, err, ref):
    """The generator never breaks boot: exit 0, and either the reference
    output, no output (PATH unchanged), or a PATH only lacking level dirs."""
    if rc != 0:
        return "exit status %d (a generator must exit 0)" % rc
    if out == ref[1] or out == "":
        return None
    lines, ref_lines = out.splitlines(), ref[1].splitlines()
    if len(lines) == 1 and len(ref_lines) == 1 and lines[0].startswith("PATH="):
        if path_is_partial(lines[0][5:].strip("'\""), ref_lines[0][5:].strip("'\"")):
            return None
    return "unexpected output:\n%s\nreference:\n%s" % (out, ref[1])


def make_stub_fixture(root, stub, cmdline):
    """usr/bin/foo is the stub; variants v1 (baseline) to v4 print their
    level. /proc/cmdline (under HWCAPS_ROOT) caps the level."""
    bindir = os.path.join(root, "usr/bin")
    for lvl in range(1, 5):
        d = os.path.join(bindir, "glibc-hwcaps/x86-64-v%d" % lvl)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "foo"), "w") as f:
            f.write("#!/bin/sh\necho v%d\n" % lvl)
        os.chmod(os.path.join(d, "foo"), 0o755)
    shutil.copy(stub, os.path.join(bindir, "foo"))
    with open(os.path.join(root, "proc/cmdline"), "w") as f:
        f.write(cmdline)
    return os.path.join(bindir, "foo")


def stub_check(cap):
    """The stub runs a variant no higher than the reference run's (falling
    back level by level) and never above the kernel command line's cap; or
    exits 126/127 with its one-line message."""
    def check(rc, out, err, ref):
        if rc == 0:
            if not re.fullmatch(r"v[1-4]\n", out):
                return "exit 0 with output %r" % out
            if int(out[1]) > int(ref[1][1]):
                return "ran %s, above the reference %s" % (out.strip(), ref[1].strip())
            if int(out[1]) > cap:
                return "ran %s despite hwcaps.max=x86-64-v%d on the kernel command line" % (out.strip(), cap)
            return None
        if rc in (126, 127):
            if not err.startswith("hwcaps-dispatch: ") or err.count("\n") != 1:
                return "exit %d without its one-line message: %r" % (rc, err[:300])
            return None
        return "exit status %d" % rc
    return check


def make_which_fixture(root, stub):
    """usr/bin/foo (baseline) and usr/bin/bar (a copy of the stub), each with
    variants v2..v4 in usr/bin/glibc-hwcaps/ (bar's baseline in x86-64-v1);
    every program prints its level."""
    bindir = os.path.join(root, "usr/bin")
    for name in ["foo", "bar"]:
        for lvl in range(1, 5):
            if name == "foo" and lvl == 1:
                path = os.path.join(bindir, "foo")
            else:
                d = os.path.join(bindir, "glibc-hwcaps/x86-64-v%d" % lvl)
                os.makedirs(d, exist_ok=True)
                path = os.path.join(d, name)
            with open(path, "w") as f:
                f.write("#!/bin/sh\necho v%d\n" % lvl)
            os.chmod(path, 0o755)
    shutil.copy(stub, os.path.join(bindir, "bar"))
    return bindir


def exec_check(cap):
    """hwcaps exec runs a variant no higher than the reference run's and
    never above the cap, or exits 1/126/127 with a message and no output."""
    def check(rc, out, err, ref):
        if rc == 0:
            if not re.fullmatch(r"v[1-4]\n", out):
                return "exit 0 with output %r" % out
            if int(out[1]) > int(ref[1][1]) or int(out[1]) > cap:
                return "ran %s (reference %s, cap v%d)" % (out.strip(), ref[1].strip(), cap)
            return None
        if rc in (1, 126, 127):
            if out:
                return "exit %d but the program ran: %r" % (rc, out[:200])
            if not err.startswith("hwcaps"):
                return "exit %d without a message: %r" % (rc, err[:300])
            return None
        return "exit status %d" % rc
    return check


def which_check(cap):
    """hwcaps which names as the winner a candidate no higher than the
    reference's and never above the cap (a failed call may only make it
    choose lower, or find nothing: exit 1), or exits 1 with a message."""
    def level_of_winner(out):
        for line in out.splitlines():
            if line.endswith(": runs"):
                m = re.match(r"\s+x86-64-v([2-4]) ", line)
                return int(m.group(1)) if m else 1
        return None
    def check(rc, out, err, ref):
        want = level_of_winner(ref[1])
        if want is None:
            return "the reference run names no winner:\n%s" % ref[1]
        if rc == 0:
            got = level_of_winner(out)
            if got is None:
                return "exit 0 without a winner:\n%s" % out
            if got > want or got > cap:
                return "names an x86-64-v%d winner (reference v%s, cap v%d):\n%s" % (got, want, cap, out)
            return None
        if rc == 1:
            if level_of_winner(out) is not None:
                return "exit 1 but names a winner:\n%s" % out
            if not out.strip() and not err.startswith("hwcaps"):
                return "exit 1 without a message: %r" % err[:300]
            return None
        return "exit status %d" % rc
    return check


def make_check_fixture(root, elf_v3, elf_v4, good):
    """A buildroot: usr/bin/foo with a v3 variant marked v3 (good) or v4 (bad)."""
    d = os.path.join(root, "usr/bin/glibc-hwcaps/x86-64-v3")
    os.makedirs(d, exist_ok=True)
    shutil.copy(elf_v3, os.path.join(root, "usr/bin/foo"))
    shutil.copy(elf_v3 if good else elf_v4, os.path.join(d, "foo"))
    for f in [os.path.join(root, "usr/bin/foo"), os.path.join(d, "foo")]:
        os.chmod(f, 0o755)


def check_check(rc, out, err, ref):
    """hwcaps check under a failure: the reference verdict, or exit 1 with a
    message; never a pass (exit 0) where the reference found a problem."""
    if rc == ref[0] and out == ref[1]:
        return None
    if rc == 1 and (err.startswith("hwcaps") or out):
        return None
    return "exit %d (reference %d) out %r err %r" % (rc, ref[0], out[:200], err[:200])


def run(cmd, env, shim, cls, nth, report):
    e = dict(env)
    if shim:
        e["LD_PRELOAD"] = shim
    e.update(HWCAPS_FAULT_CALLS=cls, HWCAPS_FAULT_NTH=str(nth),
             HWCAPS_FAULT_REPORT=report)
    try:
        os.unlink(report)
    except FileNotFoundError:
        pass
    p = subprocess.run(cmd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=60)
    calls, name = 0, "?"
    try:
        with open(report) as f:
            c, name = f.read().split()
            calls = int(c)
    except (OSError, ValueError):
        pass
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), calls, name


def main():
    shim, scenario, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    # Under /run when root: every directory on the way to a variant must be
    # root's and closed to others (the trust rule), and /tmp is sticky.
    tmp = tempfile.mkdtemp(prefix="hwcaps-faults-", dir="/run" if os.geteuid() == 0 else None)
    os.chmod(tmp, 0o755)
    root = os.path.join(tmp, "root")
    make_fixture(root)
    report = os.path.join(tmp, "report")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HWCAPS")}
    env.pop("LD_PRELOAD", None)
    env["NO_COLOR"] = "1"
    classes = CLASSES

    if scenario == "cli-path":
        cmds = [([args[0], "path", "--root", root, "--path",
                  "/usr/local/bin:/usr/bin:/opt/bad:/bin::."], env, cli_check(partial_path=True))]
    elif scenario == "cli-dump":
        cmds = [([args[0], "explain", "--cpuid", args[1]], env, cli_check()),
                ([args[0], "levels", "--cpuid", args[1]], env, cli_check())]
    elif scenario == "cli-level":
        cmds = [([args[0], "level"], env, cli_check()), ([args[0], "levels"], env, cli_check()),
                # ld.so --help that cannot run or be read: explain says so.
                ([args[0], "explain"], env,
                 cli_check(degraded=r"^Dynamic linker: .* gave no glibc-hwcaps verdict \("))]
    elif scenario == "cli-check":
        # args: HWCAPS ELF-marked-v3 ELF-marked-v4
        good, bad = os.path.join(tmp, "good"), os.path.join(tmp, "bad")
        make_check_fixture(good, args[1], args[2], True)
        make_check_fixture(bad, args[1], args[2], False)
        cmds = [([args[0], "check", "--root", good], env, check_check),
                ([args[0], "check", "--root", bad], env, check_check)]
    elif scenario == "cli-which-exec":
        # args: HWCAPS STUB
        bindir = make_which_fixture(root, args[1])
        wenv = dict(env, HWCAPS_ROOT=root, PATH=bindir + ":/usr/bin:/bin")
        cmds = [([args[0], "exec", "foo"], wenv, exec_check(3)),
                ([args[0], "exec", os.path.join(bindir, "bar")], wenv, exec_check(3)),
                ([args[0], "which", "foo"], wenv, which_check(3)),
                ([args[0], "which", os.path.join(bindir, "bar")], wenv, which_check(3))]
    elif scenario == "stub":
        # The stub is static: no shim, its fault hook reads the same variables.
        shim = ""
        classes = ["open", "read", "stat", "exec"]
        foo = make_stub_fixture(root, args[0], "quiet hwcaps.max=x86-64-v3\n")
        senv = dict(env, HWCAPS_ROOT=root)
        cmds = [([foo], senv, stub_check(3))]
    elif scenario == "generator":
        genv = dict(env, HWCAPS_ROOT=root, PATH="/usr/local/bin:/usr/bin:/opt/bad:/bin")
        # The cap in hwcaps.conf instead: an unreadable file must not lift it.
        root2 = os.path.join(tmp, "root2")
        make_fixture(root2, cmdline="ro quiet\n", conf="[hwcaps]\nmax-level=x86-64-v2\n")
        genv2 = dict(genv, HWCAPS_ROOT=root2)
        # As systemd runs it: the system generator, which reads hwcaps.conf
        # and compiles the boot's options into run/hwcaps/policy.
        gen = os.path.join(tmp, "system-environment-generators", "60-hwcaps")
        os.makedirs(os.path.dirname(gen))
        os.symlink(os.path.realpath(args[0]), gen)
        cmds = [([gen], genv, generator_check), ([gen], genv2, generator_check)]
    else:
        sys.exit("unknown scenario " + scenario)

    passed = failed = 0
    for cmd, cenv, check in cmds:
        for cls in classes:
            rc, out, err, total, _ = run(cmd, cenv, shim, cls, 0, report)
            ref = (rc, out, err)
            if rc < 0 or (check(rc, out, err, ref) is not None and rc != 0 and rc != 1):
                print("FAIL %s [%s]: reference run ended with %d: %s" % (" ".join(cmd[1:2]), cls, rc, err[:300]))
                failed += 1
                continue
            bad = 0
            for n in range(1, min(total, MAX_RUNS) + 1):
                rc, out, err, _, name = run(cmd, cenv, shim, cls, n, report)
                why = None
                if rc < 0:
                    why = "killed by %s" % signal.Signals(-rc).name
                elif "Sanitizer" in err or "==ERROR" in err:
                    why = "sanitizer report"
                else:
                    why = check(rc, out, err, ref)
                if why:
                    bad += 1
                    print("FAIL %s: %s call %d (%s) failing: %s\n  stderr: %s" %
                          (os.path.basename(cmd[0]) + " " + " ".join(cmd[1:2]), cls, n, name, why,
                           err.strip()[:400]))
            passed += min(total, MAX_RUNS) - bad
            failed += bad
            print("%s %s [%s]: %d calls, each made to fail, %d bad" %
                  ("ok  " if not bad else "FAIL", " ".join(os.path.basename(c) for c in cmd[:2]), cls, total, bad))
    shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
