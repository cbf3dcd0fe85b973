"""`make bench`: every benchmark of the project, one after the other.

python -m tools.bench            # all
python -m tools.bench check site # some
"""

import importlib
import sys

BENCHES = {
    "check": "tools.bench_check",  # check.py --json vs a bare interpreter start
    "tools": "tools.bench_tools",  # check.py --json with slow GPU tools vs instant ones
    "site": "tools.bench_site",  # whole-site build time
    "verify": "tools.bench_verify",  # the whole docs verification
    "browser": "tools.bench_browser",  # click-to-verdict in headless Chromium
    "lighthouse": "tools.bench_lighthouse",  # Lighthouse mobile scores of every page
    "windows": "tools.bench_windows",  # the Windows lane: set-up, check.py under wine
}


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or list(BENCHES)
    for name in names:
        if name not in BENCHES:
            sys.exit("unknown benchmark %r; choose from %s" % (name, ", ".join(BENCHES)))
        print("== %s" % name, flush=True)
        importlib.import_module(BENCHES[name]).main([])


if __name__ == "__main__":
    main()
