"""The Swift files the scripts in Scripts/dev read: shared so that each walks folders the same way."""
import os


def swift_files(paths):
    """The Swift files among `paths` (files as given; folders searched recursively, sorted)."""
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(".swift"):
                        yield os.path.join(root, f)
        else:
            yield p
