"""`python -m checks`: the same command line as the downloadable check.py."""

import sys

from .cli import main

sys.exit(main())
