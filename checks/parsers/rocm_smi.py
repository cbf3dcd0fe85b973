"""Read rocm-smi's --json outputs: VRAM per card, product names, driver version.

rocm-smi keys its JSON by card ("card0", "card1") beside a "system" entry;
only the card* entries describe GPUs. Key spellings differ between versions.
"""
import json
import re

from ..units import plausible_bytes, whole_number

_CARD = re.compile(r"^card[0-9]{1,6}$")
_NAME_KEYS = ("Card Series", "Card series", "Card SKU", "Card Model", "Card model")
_DRIVER_KEYS = ("Driver version", "Driver Version")


def parse_vram_json(text):
    """`rocm-smi --showmeminfo vram --json` -> {"cards": {"card0": bytes | None}, "reason"}."""
    cards, reason = _cards(text)
    vram = {}
    for card, values in cards.items():
        vram[card] = _int(_first(values, ("VRAM Total Memory (B)",)))
    if cards and not any(value is not None for value in vram.values()):
        reason = "no card reports 'VRAM Total Memory (B)'"
    return {"cards": vram, "reason": reason}


def parse_product_json(text):
    """`rocm-smi --showproductname --json` -> {"cards": {"card0": name | None}, "reason"}."""
    cards, reason = _cards(text)
    names = {}
    for card, values in cards.items():
        name = _first(values, _NAME_KEYS)
        names[card] = name.strip() if isinstance(name, str) and name.strip() else None
    return {"cards": names, "reason": reason}


def parse_driver_json(text):
    """`rocm-smi --showdriverversion --json` -> {"driver_version": str | None, "reason"}."""
    data, reason = _load(text)
    if data is None:
        return {"driver_version": None, "reason": reason}
    for values in [data.get("system")] + list(data.values()):
        version = _first(values, _DRIVER_KEYS) if isinstance(values, dict) else None
        if isinstance(version, str) and version.strip():
            return {"driver_version": version.strip(), "reason": None}
    return {"driver_version": None, "reason": "no 'Driver version' entry"}


def _load(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str) or not text.strip():
        return None, "the output is empty"
    # Some versions print warnings before the JSON: start at the first brace.
    start = text.find("{")
    if start < 0:
        return None, "no JSON in the output"
    try:
        data = json.loads(text[start:])
    except (ValueError, RecursionError) as exc:    # RecursionError: nested too deeply
        return None, "not valid JSON: %s" % exc
    if not isinstance(data, dict):
        return None, "expected a JSON object keyed by card"
    return data, None


def _cards(text):
    data, reason = _load(text)
    if data is None:
        return {}, reason
    cards = dict((key, value) for key, value in data.items()
                 if _CARD.match(str(key)) and isinstance(value, dict))
    ordered = dict((key, cards[key]) for key in sorted(cards, key=lambda k: int(k[4:])))
    return ordered, None if ordered else "no card entries"


def _first(values, keys):
    for key in keys:
        if key in values:
            return values[key]
    return None


def _int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = whole_number(value)
    number = plausible_bytes(number)
    return number if number else None
