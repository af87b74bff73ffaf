#!/usr/bin/env python3
"""Moves each extra non-private top-level type of a Swift file into a file of its own.

Usage: python3 Scripts/dev/split_types.py FILE...
       python3 Scripts/dev/split_types.py --list [FILE-OR-FOLDER...]   (default folder: Sources)

A file keeps the type it is named after (or its first type); every other top-level `struct`,
`class`, `enum`, `protocol` or `actor` that is not `private`/`fileprivate` moves, with its doc
comment and attributes, to `<Name>.swift` beside it, with the file's import lines. Private types,
extensions and free functions stay. Relies on `swift format`'s layout: a top-level declaration's
closing brace is a `}` in column 0. Run `swift format` and build afterwards.

`--list` changes nothing: it prints each file that declares several non-private top-level types,
with their names. Without arguments the script prints this help and exits with status 2.
"""
import os
import re
import sys

from swift_sources import swift_files

DECL = re.compile(
    r"^((?:@\w+(?:\([^)]*\))?\s+)*)((?:public|package|internal|final|indirect|open)\s+)*"
    r"(struct|class|enum|protocol|actor)\s+(\w+)")


def blocks(lines):
    """(start, end, name, private) of each top-level type; start includes its doc comment."""
    result = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = DECL.match(line)
        is_private = re.match(r"^(?:@\w+\s+)*(private|fileprivate)\s", line) is not None
        if m or (is_private and re.search(r"\b(struct|class|enum|protocol|actor)\s+\w+", line)):
            name = m.group(4) if m else None
            start = i
            while start > 0 and (lines[start - 1].startswith("///") or lines[start - 1].startswith("@")):
                start -= 1
            end = i
            if not line.rstrip().endswith("}") or line.count("{") != line.count("}"):
                end = i + 1
                while end < len(lines) and lines[end].rstrip() != "}":
                    end += 1
            result.append((start, end, name, is_private))
            i = end + 1
        else:
            i += 1
    return result


def split(path):
    lines = open(path).read().split("\n")
    found = [b for b in blocks(lines) if not b[3] and b[2]]
    if len(found) < 2:
        return []
    stem = os.path.splitext(os.path.basename(path))[0]
    keep = next((b for b in found if b[2] == stem), found[0])
    imports = [l for l in lines if l.startswith("import ") or l.startswith("@preconcurrency import ")]
    moved = []
    for start, end, name, _ in sorted(found, reverse=True):
        if (start, end, name) == keep[:3]:
            continue
        target = os.path.join(os.path.dirname(path), name + ".swift")
        if os.path.exists(target):
            print(f"skip {name}: {target} exists")
            continue
        body = lines[start:end + 1]
        header = "\n".join(imports) + "\n\n" if imports else ""
        open(target, "w").write(header + "\n".join(body) + "\n")
        del lines[start:end + 1]
        while start < len(lines) and start > 0 and lines[start] == "" and lines[start - 1] == "":
            del lines[start]
        moved.append(target)
    open(path, "w").write("\n".join(lines))
    return moved


def list_files(paths):
    """Prints each file with several non-private top-level types; returns how many there are."""
    count = 0
    for p in swift_files(paths):
        with open(p, encoding="utf-8") as f:
            names = [b[2] for b in blocks(f.read().split("\n")) if not b[3] and b[2]]
        if len(names) > 1:
            print(f"{p}: {', '.join(names)}")
            count += 1
    return count


def main(args):
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    if args[0] == "--list":
        return 1 if list_files(args[1:] or ["Sources"]) else 0
    for p in args:
        if not os.path.isfile(p):
            print(f"{p}: not a file", file=sys.stderr)
            return 2
        for t in split(p):
            print(f"{p} -> {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
