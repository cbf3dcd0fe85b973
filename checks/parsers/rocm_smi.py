"""Read what rocm-smi prints: its tables, its "GPU[n] : key: value" lines, its --csv and --json.

Across ROCm 1.x-6.x the same facts come in several shapes:

- the concise table (`rocm-smi` alone): one row per device, no name, no memory size;
- `--showproductname`, `--showmeminfo vram`, `--showdriverversion` as plain lines,
  each prefixed with `GPU[0]` and tabs (or spaces, once copied from a terminal);
- the same with `--csv` (a `device,...` header, one `card0,...` row per GPU and a
  `cardsystem` row for the driver; rocm-smi drops commas from values instead of
  quoting them) or `--json` (`{"card0": {...}, "system": {...}}`, values as strings).

Keys differ by version ("Card series" / "Card Series", "vram Total Memory (B)" /
"VRAM Total Memory (B)"): they are compared case- and space-insensitively. Several
outputs pasted one after the other are read together, card by card; two outputs
that disagree about a card's value give no value, never one of the two.

`parse_rocm_smi(text)` never raises; `looks_like_rocm_smi(text)` says whether a
text is a rocm-smi output at all (by its banner, its keys, its CSV or JSON shape).
"""

import json
import re

from ..units import plausible_bytes, whole_number

MAX_JSON_DOCUMENTS = 20

_BANNER = re.compile(r"ROCm System Management Interface|End of ROCm SMI Log", re.IGNORECASE)
# Every pattern is anchored and free of nested or adjacent open-ended repeats: linear on any line.
_PREFIXED = re.compile(r"^\s*(?:ERROR:\s*|WARNING:\s*)?GPU\[(\d{1,4})\][ \t]*:(.*)$")
_DRIVER_LINE = re.compile(r"^\s*Driver version\s*:(.*)$", re.IGNORECASE)
# Real lines are short; a longer one is not read (and cannot make a pattern slow).
MAX_LINE = 4096
_CONCISE_ROW = re.compile(r"^\s*(\d{1,4})\s+\S")
_CSV_CARD = re.compile(r"^card(\d{1,4})$")
_JSON_CARD = re.compile(r"^card(\d{1,4})$")
# A PCI device id where a name should be: "0x738c", "0xc34", "744c".
_HEX_ID = re.compile(r"^(?:0x[0-9a-fA-F]{1,5}|(?=[a-fA-F]*[0-9])[0-9a-fA-F]{4})$")
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.+_~-]*$")
_FAILURES = (
    re.compile(r"Driver not initialized \(amdgpu not found in modules\)", re.IGNORECASE),
    re.compile(r"No AMD GPUs specified", re.IGNORECASE),
    re.compile(r"Unable to find amdgpu driver", re.IGNORECASE),
)

# Normalised key -> what it is. Normalised: lower case, single spaces, no trailing colon.
_NAME_KEYS = ("card model", "card series", "device name", "market name")
_VRAM_KEY = "vram total memory (b)"
_DRIVER_KEY = "driver version"
_ID_KEYS = ("device id", "gpu id", "card series", "card model")
KNOWN_KEYS = frozenset(
    _NAME_KEYS
    + _ID_KEYS
    + (
        _VRAM_KEY,
        _DRIVER_KEY,
        "vram total used memory (b)",
        "card vendor",
        "card sku",
        "subsystem id",
        "device rev",
        "node id",
        "guid",
        "gfx version",
        "gpu use (%)",
        "unique id",
        "vbios version",
        "gpu memory allocated (vram%)",
        "pci bus",
        "serial number",
        "performance level",
    )
)


def looks_like_rocm_smi(text):
    """True when `text` is, by positive signs, one of rocm-smi's outputs (or several)."""
    result = parse_rocm_smi(text)
    return result["format"] != "unrecognized"


def parse_rocm_smi(text):
    """Any rocm-smi output -> {"format", "cards", "driver_version", "message", "reason"}.

    format: "concise", "productname", "meminfo", "driver", "csv", "json", "mixed",
    "failure" or "unrecognized". cards: [{"card": index, "name": str | None,
    "device_id": "0x738c" | None, "vram_bytes": int | None}] in index order.
    """
    try:
        return _parse(text)
    except Exception as exc:  # a parser bug must not stop the check
        return _result("unrecognized", {}, None, None, "could not read the output (%s)" % type(exc).__name__)


def _parse(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str) or not text.strip():
        return _result("unrecognized", {}, None, None, "the output is empty")
    reader = _Reader()
    lines = text.splitlines()
    # A text that stops inside its last line (a cut paste) may stop inside a value:
    # that line's values are not read.
    complete = text.endswith(("\n", "\r"))
    reader.read_json(text)
    reader.read_csv(lines, complete)
    reader.read_lines(lines if complete else lines[:-1])
    banner = bool(_BANNER.search(text))
    failure = next((pattern.search(text) for pattern in _FAILURES if pattern.search(text)), None)
    if not reader.kinds and failure:
        return _result("failure", {}, None, _failure_message(text, failure), None)
    if not reader.kinds:
        if banner:
            return _result(
                "unrecognized",
                {},
                None,
                None,
                "a rocm-smi banner, but none of the outputs this checker reads (the concise table, "
                "--showproductname, --showmeminfo vram, --showdriverversion)",
            )
        return _result("unrecognized", {}, None, None, reader.json_error or "no rocm-smi table, key lines, CSV or JSON")
    kinds = sorted(reader.kinds)
    fmt = kinds[0] if len(kinds) == 1 else "mixed"
    return _result(fmt, reader.cards, reader.driver(), None, None)


def _result(fmt, cards, driver_version, message, reason):
    ordered = []
    for index in sorted(cards):
        card = dict((key, value) for key, value in cards[index].items() if not key.startswith("_"))
        card["name_truncated"] = False
        short = cards[index].get("_short_name")
        if card["name"] is None and short:
            # The concise table of ROCm 6.0 cuts names to 20 characters.
            card["name"], card["name_truncated"] = short, len(short) >= 20
        ordered.append(card)
    return {"format": fmt, "cards": ordered, "driver_version": driver_version, "message": message, "reason": reason}


def _failure_message(text, match):
    lines = [line.strip()[:300] for line in text.splitlines() if line.strip() and not _is_rule(line)]
    for line in lines:
        if match.group(0) in line:
            return line[:300]
    return match.group(0)


def normalise_key(key):
    return " ".join(str(key).replace("\t", " ").split()).rstrip(":").strip().lower()


class _Reader(object):
    """Collects values card by card from every shape found in the text."""

    def __init__(self):
        self.cards = {}
        self.kinds = set()
        self.names = {}  # index -> {key: value}
        self.drivers = set()
        self.json_error = None

    # --- values ------------------------------------------------------------------

    def card(self, index):
        if index not in self.cards:
            self.cards[index] = {"card": index, "name": None, "device_id": None, "vram_bytes": None}
            self.names[index] = {}
        return self.cards[index]

    def put(self, index, key, value):
        """One key of one card; returns True when the key is one rocm-smi prints."""
        key = normalise_key(key)
        value = value.strip() if isinstance(value, str) else value
        if key == _DRIVER_KEY:
            self.put_driver(value)
            return True
        if key not in KNOWN_KEYS:
            return False
        card = self.card(index)
        if key == _VRAM_KEY:
            number = plausible_bytes(
                value if isinstance(value, int) and not isinstance(value, bool) else whole_number(value)
            )
            self._set(card, "vram_bytes", number if number else None)
        elif key in _NAME_KEYS or key in _ID_KEYS:
            if isinstance(value, str):
                self._name_part(index, key, value)
        return True

    def put_driver(self, value):
        if isinstance(value, str) and _VERSION.match(value.strip()):
            self.drivers.add(value.strip())

    def driver(self):
        return next(iter(self.drivers)) if len(self.drivers) == 1 else None

    def _set(self, card, field, value):
        """Keep a value only while every output agrees on it."""
        conflicts = card.setdefault("_conflicts", set())
        if field in conflicts or value is None:
            return
        if card[field] is not None and card[field] != value:
            card[field] = None
            conflicts.add(field)
        else:
            card[field] = value

    def _name_part(self, index, key, value):
        parts = self.names[index]
        if key in parts and parts[key] != value:
            parts[key] = None  # two outputs disagree: this key names nothing
        elif key not in parts:
            parts[key] = value
        self._choose_name(index)

    def _choose_name(self, index):
        parts = self.names[index]
        card = self.cards[index]
        card["name"] = None
        card["device_id"] = None
        for key in _NAME_KEYS:
            value = parts.get(key)
            if value and value.upper() != "N/A" and not _HEX_ID.match(value):
                card["name"] = value
                break
        # ROCm 4.x put the PCI device id in "Card series" (its "Card model" is then
        # another id); ROCm 6.x names the card there and puts the device id in
        # "Card model". So a hex "Card model" is the device id only beside a named series.
        series = parts.get("card series")
        keys = list(_ID_KEYS)
        if not (series and not _HEX_ID.match(series) and series.upper() != "N/A"):
            keys.remove("card model")
        for key in keys:
            value = parts.get(key)
            if value and _HEX_ID.match(value):
                card["device_id"] = value.lower() if value.lower().startswith("0x") else "0x" + value.lower()
                break

    # --- shapes ------------------------------------------------------------------

    def read_json(self, text):
        decoder = json.JSONDecoder()
        starts = [match.start(1) for match in re.finditer(r"(?m)^[ \t]*(\{)", text)][:MAX_JSON_DOCUMENTS]
        end = -1
        for start in starts:
            if start < end:
                continue
            try:
                data, end = decoder.raw_decode(text, start)
            except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
                self.json_error = self.json_error or "not valid JSON: %s" % (
                    exc if isinstance(exc, ValueError) else "nested too deeply"
                )
                continue
            if isinstance(data, dict):
                self._json_document(data)

    def _json_document(self, data):
        found = False
        for key, values in data.items():
            if not isinstance(values, dict):
                continue
            match = _JSON_CARD.match(str(key))
            if match:
                index = int(match.group(1))
                known = [
                    self.put(index, name, value)
                    for name, value in values.items()
                    if isinstance(value, (str, int)) and not isinstance(value, bool)
                ]
                found = found or any(known)
            elif str(key) == "system":
                for name, value in values.items():
                    if normalise_key(name) == _DRIVER_KEY:
                        self.put_driver(value)
                        found = True
        if found:
            self.kinds.add("json")

    def read_csv(self, lines, complete=True):
        header = None
        for number, line in enumerate(lines):
            if len(line) > MAX_LINE:
                continue
            last_cell_cut = not complete and number == len(lines) - 1
            cells = line.strip().split(",")
            if cells and cells[0] == "device" and len(cells) > 1:
                header = [normalise_key(cell) for cell in cells]
                if not any(cell in KNOWN_KEYS or cell == _DRIVER_KEY for cell in header[1:]):
                    header = None
                continue
            if header is None or not cells:
                continue
            if cells[0] == "cardsystem" and len(cells) == len(header):
                pairs = list(zip(header[1:], cells[1:]))
                for key, value in pairs[:-1] if last_cell_cut else pairs:
                    if key == _DRIVER_KEY:
                        self.put_driver(value)
                        self.kinds.add("csv")
                continue
            match = _CSV_CARD.match(cells[0])
            if not match:
                header = None if line.strip() else header
                continue
            self.kinds.add("csv")
            index = int(match.group(1))
            self.card(index)
            if len(cells) != len(header):
                continue  # a value held a comma, or the row is cut: the columns cannot be matched
            pairs = list(zip(header[1:], cells[1:]))
            for key, value in pairs[:-1] if last_cell_cut else pairs:
                self.put(index, key, value)

    def read_lines(self, lines):
        table = None
        name_column = False
        last_row = None
        for line in lines:
            if len(line) > MAX_LINE:
                continue
            prefixed = _PREFIXED.match(line)
            if prefixed:
                table = None
                key, sep, value = prefixed.group(2).strip().partition(":")
                if sep and self.put(int(prefixed.group(1)), key, value):
                    self.kinds.add(_kind_of(normalise_key(key)))
                continue
            driver = _DRIVER_LINE.match(line)
            if driver and driver.group(1).strip():
                self.put_driver(driver.group(1).strip())
                self.kinds.add("driver")
                continue
            if _concise_header(line):
                table, name_column, last_row = "header", False, None
                continue
            if table is None:
                continue
            if _is_rule(line):
                if table == "rows":
                    table = None
                else:
                    table = "rows" if table == "header" else table
                continue
            row = _CONCISE_ROW.match(line)
            if table == "header" and not row:
                name_column = name_column or "Name (20 chars)" in line
                continue
            table = "rows"
            if row:
                last_row = int(row.group(1))
                self.card(last_row)
                self.kinds.add("concise")
            elif name_column and last_row is not None and line.strip():
                # ROCm 6.0 prints the name, cut to 20 characters, under its row.
                self.cards[last_row].setdefault("_short_name", line.strip())
            elif not line.strip():
                table = None


def _is_rule(line):
    """A banner rule: "=====", or a title between runs of "="."""
    stripped = line.strip()
    return len(stripped) > 2 and stripped.startswith("=") and stripped.endswith("=")


def _concise_header(line):
    """The concise table's column header: GPU (or Device) first, a Temp column and a clock or power one."""
    words = [word.lower() for word in line.split()]
    return (
        bool(words)
        and words[0] in ("gpu", "device")
        and "temp" in words
        and bool(set(words).intersection(("sclk", "avgpwr", "power")))
    )


def _kind_of(key):
    if key == _VRAM_KEY or key.startswith("vram"):
        return "meminfo"
    if key == _DRIVER_KEY:
        return "driver"
    return "productname"


# --- the older entry points, kept for the live probe ------------------------------


def parse_vram_json(text):
    """`rocm-smi --showmeminfo vram --json` -> {"cards": {"card0": bytes | None}, "reason"}."""
    result = parse_rocm_smi(text)
    if result["format"] != "json":
        return {"cards": {}, "reason": result["reason"] or "no JSON card entries"}
    cards = dict(("card%d" % card["card"], card["vram_bytes"]) for card in result["cards"])
    reason = None
    if not cards:
        reason = "no card entries"
    elif not any(value is not None for value in cards.values()):
        reason = "no card reports 'VRAM Total Memory (B)'"
    return {"cards": cards, "reason": reason}


def parse_product_json(text):
    """`rocm-smi --showproductname --json` -> {"cards": {"card0": name | None}, "reason"}."""
    result = parse_rocm_smi(text)
    cards = (
        dict(("card%d" % card["card"], card["name"]) for card in result["cards"]) if result["format"] == "json" else {}
    )
    reason = None
    if not cards:
        reason = result["reason"] or "no card entries"
    elif not any(cards.values()):
        reason = "no card reports a product name"
    return {"cards": cards, "reason": reason}


def parse_driver_json(text):
    """`rocm-smi --showdriverversion --json` -> {"driver_version": str | None, "reason"}."""
    result = parse_rocm_smi(text)
    version = result["driver_version"]
    return {"driver_version": version, "reason": None if version else "no 'Driver version' entry"}
