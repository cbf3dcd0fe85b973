"""Checks a machine against Invoke's system requirements.

facts (probes/) + rules -> findings (evaluate/) -> reports (render/).
Stdlib only: this package ships as the one-file check.py.
"""

__version__ = "0.1.0"
