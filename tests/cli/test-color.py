#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Colour on a terminal only: hwcaps run with real pseudo-terminals as
stdout and stderr (each its own, so each stream is judged on its own).
Colour appears on a terminal; not with NO_COLOR set and not empty, not
with TERM=dumb, not in a pipe, never in JSON.
Usage: test-color.py HWCAPS"""
import os
import subprocess
import sys
import threading

HWCAPS = sys.argv[1]
ESC = b"\x1b["
fails = 0


def check(name, cond, detail=b""):
    global fails
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + repr(detail)))
    fails += not cond


def drain(fd, into):
    """Reads fd until the other side is closed (EIO on a pty)."""
    while True:
        try:
            b = os.read(fd, 65536)
        except OSError:
            return
        if not b:
            return
        into.append(b)


def run(args, env_extra, stdout_tty=True, stderr_tty=True):
    """(stdout bytes, stderr bytes) of hwcaps ARGS."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update({"TERM": "xterm-256color"})
    env.update(env_extra)
    for k in [k for k, v in env.items() if v is None]:
        del env[k]
    ptys, kw = [], {}
    for name, tty in (("stdout", stdout_tty), ("stderr", stderr_tty)):
        if tty:
            m, s = os.openpty()
            ptys.append((name, m, s))
            kw[name] = s
        else:
            kw[name] = subprocess.PIPE
    p = subprocess.Popen([HWCAPS] + args, env=env, stdin=subprocess.DEVNULL, **kw)
    readers = []
    for name, m, s in ptys:
        os.close(s)
        chunks = []
        t = threading.Thread(target=drain, args=(m, chunks))
        t.start()
        readers.append((name, m, t, chunks))
    piped = p.communicate()
    got = {"stdout": piped[0], "stderr": piped[1]}
    for name, m, t, chunks in readers:
        t.join()
        os.close(m)
        got[name] = b"".join(chunks)
    return got["stdout"], got["stderr"]


# "which" with a level that is not one: a warning on stderr, and the
# candidate that runs on stdout.
# A PATH entry that is not there: a skipped candidate before the one that
# runs.
WHICH = (["which", "sh"], {"HWCAPS_MAX_LEVEL": "bogus", "PATH": "/nonexistent-hwcaps-test:/usr/bin:/bin"})

out, err = run(*WHICH)
check("tty: 'runs' is green", b"\x1b[1;32mruns\x1b[0m" in out, out)
check("tty: skipped candidates are dimmed", b"\x1b[2mmissing\x1b[0m" in out, out)
check("tty: 'warning:' is yellow on stderr", b"hwcaps: \x1b[1;33mwarning:\x1b[0m HWCAPS_MAX_LEVEL" in err, err)

out, err = run(["check", "/nonexistent-hwcaps-test"], {})
check("tty: an error is red", b"\x1b[1;31m" in err and b"nonexistent-hwcaps-test" in err, err)

for label, extra in (("NO_COLOR=1", {"NO_COLOR": "1"}), ("TERM=dumb", {"TERM": "dumb"}),
                     ("TERM unset", {"TERM": None})):
    out, err = run(WHICH[0], dict(WHICH[1], **extra))
    check(label + ": no colour on stdout", ESC not in out and b"runs" in out, out)
    check(label + ": no colour on stderr", ESC not in err and b"warning:" in err, err)

out, err = run(WHICH[0], dict(WHICH[1], NO_COLOR=""))
check("NO_COLOR empty: colour as if unset", b"\x1b[1;32mruns" in out, out)

out, err = run(*WHICH, stdout_tty=False)
check("pipe: no colour on stdout", ESC not in out and b"runs" in out, out)
check("pipe on stdout: stderr, a tty, still coloured", b"\x1b[1;33mwarning:" in err, err)
out, err = run(*WHICH, stderr_tty=False)
check("pipe: no colour on stderr", ESC not in err and b"warning:" in err, err)

out, err = run(["which", "--json", "sh"], WHICH[1])
check("JSON on a tty: no colour", ESC not in out and b'"runs":true' in out, out)

sys.exit(1 if fails else 0)
