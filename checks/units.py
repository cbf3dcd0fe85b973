"""Sizes with units: the one place that turns "12 GB" into bytes and back.

GB, MB and TB are decimal (SI) and GiB, MiB, TiB binary, as in the rules file.
"""

from __future__ import annotations

import re

UNITS = {
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
}

_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")

# No disk, RAM or VRAM of a real machine comes near 2^64 bytes (16 EiB): a
# bigger figure in a tool's output or a saved file is garbage, not a size.
MAX_BYTES = 2**64
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
        raise ValueError("expected a size such as '12 GB' (units: %s), got %r" % (", ".join(UNITS), text))
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


# Sizes memory is sold in, in GiB (cards and RAM sticks alike). A card reports
# a little less than its label (an 8 GB card shows 8151 MiB, a T4 "16 GB" 15360
# MiB), and an OS a little less than the RAM installed.
_SOLD_GIB = (
    1,
    1.5,
    2,
    3,
    4,
    6,
    8,
    10,
    11,
    12,
    16,
    20,
    24,
    32,
    40,
    48,
    64,
    80,
    94,
    96,
    128,
    141,
    144,
    180,
    192,
    256,
    288,
    384,
    512,
    768,
    1024,
    1536,
    2048,
)
_SOLD_SHARE = 0.88  # the least share of its label a board or an OS reports


def sold_size(num_bytes):
    """The size this memory is sold as ("8 GB" for 8151 MiB), or None when it fits no usual size."""
    if not isinstance(num_bytes, int) or num_bytes <= 0:
        return None
    gib = num_bytes / float(UNITS["GiB"])
    for size in _SOLD_GIB:
        if size * _SOLD_SHARE <= gib <= size:
            return "%g GB" % size
    return None


def format_gib(num_bytes):
    """Format bytes in GiB with one decimal, as an OS reports RAM: '15.5 GiB'."""
    text = "%.1f" % (num_bytes / float(UNITS["GiB"]))
    return (text[:-2] if text.endswith(".0") else text) + " GiB"


def article(size_text):
    """'a' or 'an' before a size said aloud: 'an 8 GB', 'a 12 GB', 'an 80 GB'."""
    return "an" if size_text[:1] == "8" or size_text.startswith(("11 ", "18 ")) else "a"
