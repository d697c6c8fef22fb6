#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the hwcaps command's output on stdin, or in each FILE, against the
escaping rule of dispatch/cli/escape.h. Usage: escaped-output.py text|json [FILE...]
  text: valid UTF-8, and no control character but newline (C0, DEL, C1).
  json: the same, it parses (Python's json), and each NAME_bytes is NAME's exact bytes:
        NAME with every \\xHH turned back into its byte."""
import json
import re
import sys


def unescape(s):
    out = bytearray()
    for part in re.split(r"(\\x[0-9a-f]{2})", s):
        if part.startswith("\\x") and len(part) == 4:
            out.append(int(part[2:], 16))
        else:
            assert "\\" not in part, f"a backslash outside \\xHH in {s!r}"
            out += part.encode()
    return bytes(out)


def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k.endswith("_bytes"):
                name = v[k[:-len("_bytes")]]
                pairs = zip(name, x) if isinstance(x, list) else [(name, x)]
                for n, b in pairs:
                    if b is not None:
                        assert unescape(n) == bytes.fromhex(b), f"{k}: {n!r} is not {b}"
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)


def check(data, mode):
    text = data.decode("utf-8")  # raises on invalid UTF-8
    bad = [c for c in text if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f)]
    assert not bad, f"raw control characters {bad!r} in:\n{text}"
    if mode == "json":
        walk(json.loads(text))


# One process for many files: a Python start is slow on a loaded machine.
failed = False
for name in sys.argv[2:] or ["-"]:
    with (open(name, "rb") if name != "-" else sys.stdin.buffer) as f:
        try:
            check(f.read(), sys.argv[1])
        except Exception as e:
            print(f"{name}: {type(e).__name__}: {e}", file=sys.stderr)
            failed = True
sys.exit(1 if failed else 0)
