#!/usr/bin/python3
"""Sets of container names for the watcher tests, in escaped text form.

    cgset.py live LOG [--under NAME]     names live after the ADD/DEL lines of LOG
    cgset.py find ROOT... [--under NAME] directories below the roots, merged

Both print the sorted set, one name per line."""
import os
import sys

from cgname import escape


def under_ok(name: str, under: str) -> bool:
    return under == "/" or name == under or name.startswith(under + "/")


def live(path: str, under: str) -> set:
    s = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("ADD "):
                s.add(line[4:])
            elif line.startswith("DEL "):
                s.discard(line[4:])
    return {n for n in s if under_ok(n, under)}


def find(roots: list, under: str) -> set:
    s = set()
    sub = b"" if under == "/" else os.fsencode(under)
    for root in roots:
        top = os.fsencode(root) + sub
        if not os.path.isdir(top):
            continue
        for dirpath, _, _ in os.walk(top):
            rel = sub + dirpath[len(top):]
            s.add(escape(rel or b"/"))
    return s


def main() -> int:
    args = sys.argv[1:]
    under = "/"
    if "--under" in args:
        i = args.index("--under")
        under = args[i + 1]
        del args[i:i + 2]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    if args[0] == "live" and len(args) == 2:
        names = live(args[1], under)
    elif args[0] == "find" and len(args) >= 2:
        names = find(args[1:], under)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for n in sorted(names):
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
