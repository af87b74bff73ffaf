#!/usr/bin/env python3
"""Rewrites the training command and data path recorded in the cards of Models/*.safetensors as a
user would type them from the repository root, by the rules of `TrainingCommand.portable`
(Sources/Datasets/ModelFiles/TrainingCommand.swift): the program is `emocl`, an absolute path in
the repository or beside it becomes relative (`/work/shared/datasets/...` -> `../shared/...`), one
under the home directory becomes `~/...`. Cards written before that rule existed (the shipped
CNN's) recorded the training machine's absolute paths. Only the card's JSON changes; the tensors
are copied byte for byte. Prints each change.

Usage: python3 Scripts/weights/portable_card_commands.py [--root DIR] [--home DIR] FILE...
"""
import argparse
import json
import os
import struct


def portable_path(arg, root, home):
    if not arg.startswith("/"):
        return arg
    target = os.path.normpath(arg).strip("/").split("/")
    base = os.path.normpath(root).strip("/").split("/")
    shared = 0
    while shared < min(len(target), len(base)) and target[shared] == base[shared]:
        shared += 1
    up = len(base) - shared
    if shared > 0 and up <= 1 and (shared < len(target) or up == 0):
        parts = [".."] * up + target[shared:]
        return "/".join(parts) if parts else "."
    home_parts = os.path.normpath(home).strip("/").split("/")
    if len(target) > len(home_parts) and target[: len(home_parts)] == home_parts:
        return "/".join(["~"] + target[len(home_parts):])
    return arg


def portable_command(line, root, home):
    out, program_next = [], True
    for token in line.split(" "):
        if program_next and token.endswith(("emocl", "emocl-train")) and "/" in token or (
                program_next and token == "emocl-train"):
            out.append("emocl")
        elif token.startswith("--") and "=" in token:
            flag, value = token.split("=", 1)
            out.append(flag + "=" + portable_path(value, root, home))
        else:
            out.append(portable_path(token, root, home))
        program_next = token == "&&"
    return " ".join(out)


def rewrite(path, root, home):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        tensors = f.read()
    metadata = header.get("__metadata__", {})
    if "emocl_card" not in metadata:
        return
    card = json.loads(metadata["emocl_card"])
    training = card.get("training", {})
    changed = False
    for key, fix in (("command", portable_command), ("data", portable_path)):
        value = training.get(key)
        if isinstance(value, str) and fix(value, root, home) != value:
            print(f"{path}: {key}\n  was {value}\n  now {fix(value, root, home)}")
            training[key] = fix(value, root, home)
            changed = True
    if not changed:
        return
    metadata["emocl_card"] = json.dumps(card, separators=(",", ":"), ensure_ascii=False)
    encoded = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    encoded += b" " * (-len(encoded) % 8)  # keep the tensor data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + tensors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default="/work/main", help="the training machine's repository")
    parser.add_argument("--home", default="/root", help="the training machine's home directory")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    for path in args.files:
        rewrite(path, args.root, args.home)


if __name__ == "__main__":
    main()
