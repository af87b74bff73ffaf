#!/usr/bin/env python3
"""Lists the Swift functions and initialisers whose bodies are longer than a limit.

Usage: python3 Scripts/dev/long_functions.py [--limit N] [PATH...]

PATH is a Swift file or a folder searched for them (default: Sources). A body's length is the
number of lines strictly between the line of its opening `{` and the line of its closing `}`,
blank and comment lines included. Only `func` and `init` declarations count (not closures,
computed properties, `deinit` or `subscript`). Comments and string literals (with
interpolations, multi-line and raw strings) are skipped when braces are matched. Prints
`LINES path:line name`, longest first; exits 1 when something is over the limit.
"""
import argparse
import os
import re
import sys

from swift_sources import swift_files

DECL = re.compile(r"\b(func\s+([^\s(<]+)|init[?!]?(?=\s*[(<]))")
# Words that start another declaration: met before a `{`, they mean the declaration had no body
# (a protocol requirement).
NEXT_DECL = re.compile(r"\b(func|var|let|init|subscript|typealias|associatedtype|case|static)\b")


def code_only(text):
    """`text` with comments and string contents blanked to spaces (newlines kept), so that
    positions and line numbers stay those of the source."""
    out = list(text)
    i, n = 0, len(text)
    # Stack of contexts: ("code", paren depth) inside an interpolation, ("str", closing, raw).
    stack = [("code", 0)]

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        top = stack[-1]
        if top[0] == "code":
            if text.startswith("//", i):
                end = text.find("\n", i)
                end = n if end < 0 else end
                blank(i, end)
                i = end
                continue
            if text.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif text.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
                continue
            m = re.match(r'(#*)("""|")', text[i:i + 8])
            if m:
                hashes, quote = m.group(1), m.group(2)
                stack.append(("str", quote + hashes, hashes))
                i += len(m.group(0))
                continue
            c = text[i]
            if c == "(" and len(stack) > 1:
                stack[-1] = ("code", top[1] + 1)
            elif c == ")" and len(stack) > 1:
                if top[1] == 0:
                    stack.pop()  # end of an interpolation: back in the string
                    out[i] = " "
                else:
                    stack[-1] = ("code", top[1] - 1)
            i += 1
            continue
        # Inside a string literal.
        closing, hashes = top[1], top[2]
        if text.startswith("\\" + hashes, i):
            j = i + 1 + len(hashes)
            if j < n and text[j] == "(":
                blank(i, j + 1)
                stack.append(("code", 0))
                i = j + 1
            else:
                blank(i, min(n, j + 1))
                i = j + 1
            continue
        if text.startswith(closing, i):
            stack.pop()
            i += len(closing)
            continue
        if text[i] != "\n":
            out[i] = " "
        i += 1
    return "".join(out)


def long_functions(path, limit):
    text = open(path, encoding="utf-8").read()
    code = code_only(text)
    line_starts = [0] + [k + 1 for k, c in enumerate(code) if c == "\n"]

    def line_of(pos):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    found = []
    for m in DECL.finditer(code):
        name = m.group(2) or "init"
        # Find the body's `{` at bracket depth 0, or give up at the next declaration.
        depth, j = 0, m.end()
        start = None
        while j < len(code):
            c = code[j]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif depth == 0 and c == "{":
                start = j
                break
            elif depth == 0 and c == "}":
                break
            elif depth == 0 and NEXT_DECL.match(code, j) and (j == 0 or not code[j - 1].isalnum()):
                break
            j += 1
        if start is None:
            continue
        depth, j = 0, start
        while j < len(code):
            if code[j] == "{":
                depth += 1
            elif code[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        body = line_of(j) - line_of(start) - 1
        if body > limit:
            found.append((body, path, line_of(m.start()), name))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=80, help="longest allowed body (80)")
    parser.add_argument("paths", nargs="*", default=["Sources"], help="files or folders")
    args = parser.parse_args()
    found = []
    for path in swift_files(args.paths):
        found += long_functions(path, args.limit)
    for body, path, line, name in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
        print(f"{body:4d} {path}:{line} {name}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
