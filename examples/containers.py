#!/usr/bin/python3
"""containers: every live container of a cadv store with its newest memory
usage, through the cadv module (libcadv.so.0).

    ./containers.py [STORE]

One line a container: its name, then its memory usage in bytes ("-" when
its newest sample has none, or it has no sample yet); what
examples/containers.c prints."""

import sys

import cadv


def main():
    try:
        with cadv.open(sys.argv[1] if len(sys.argv) > 1 else None) as store:
            # one snapshot: every line is of the same instant
            with store.snapshot() as snap:
                for c in snap.containers():
                    if not c.live:
                        continue
                    s = c.latest()
                    usage = s.get("memory.usage") if s is not None else None
                    print(c.name, "-" if usage is None else usage)
    except cadv.Error as e:
        print("containers: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
