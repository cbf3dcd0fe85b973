"""Sizes with units: the one place that turns "12 GB" into bytes and back.

GB, MB and TB are decimal (SI) and GiB, MiB, TiB binary, as in the rules file.
"""
from __future__ import annotations

import re

UNITS = {
    "B": 1,
    "KB": 10 ** 3,
    "MB": 10 ** 6,
    "GB": 10 ** 9,
    "TB": 10 ** 12,
    "KiB": 2 ** 10,
    "MiB": 2 ** 20,
    "GiB": 2 ** 30,
    "TiB": 2 ** 40,
}

_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")

# No disk, RAM or VRAM of a real machine comes near 2^64 bytes (16 EiB): a
# bigger figure in a tool's output or a saved file is garbage, not a size.
MAX_BYTES = 2 ** 64
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,20}$")


def whole_number(text: object) -> int | None:
    """The non-negative integer written in `text` with ASCII digits, or None.

    Unlike str.isdigit() + int(), this never raises: it refuses digits int()
    cannot read ("\u00b2") and numbers too long for Python 3.11's int() limit.
    """
    if not isinstance(text, str):
        return None
    value = text.strip()
    return int(value) if _WHOLE_NUMBER.match(value) else None


def plausible_bytes(number: object) -> int | None:
    """`number` when it can be a size in bytes (a whole number from 0 to MAX_BYTES), else None."""
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    return number if 0 <= number <= MAX_BYTES else None


def parse_size(text: str) -> int:
    """Return the number of bytes in a size such as "12 GB" or "8151 MiB".

    Raises ValueError naming what was expected.
    """
    match = _SIZE.match(str(text))
    if not match or match.group(2) not in UNITS:
        raise ValueError(
            "expected a size such as '12 GB' (units: %s), got %r"
            % (", ".join(UNITS), text)
        )
    return int(round(float(match.group(1)) * UNITS[match.group(2)]))


def format_gb(num_bytes: float, digits: int = 1) -> str:
    """Format bytes in decimal GB, as the rules state sizes: 12000000000 -> '12 GB'."""
    value = num_bytes / float(UNITS["GB"])
    text = ("%." + str(digits) + "f") % value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + " GB"


def format_mib(num_bytes):
    """Format bytes in MiB, as nvidia-smi prints VRAM: '8151 MiB'."""
    return "%d MiB" % int(round(num_bytes / float(UNITS["MiB"])))
