"""Real inputs for the parsers, and the ways the hardening tests damage them."""

import json
import re
from pathlib import Path

from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "fixtures" / "corpus"
REAL_OUTPUTS = HERE.parent.parent.parent / "shared" / "fixtures" / "real-outputs"


def corpus_files(pattern):
    """{"case/file": text} for the corpus files matching a glob."""
    return dict(
        ("%s/%s" % (path.relative_to(CORPUS).parts[0], path.name), path.read_text(encoding="utf-8"))
        for path in sorted(CORPUS.glob(pattern))
    )


def real_outputs(kind):
    """[(file, text, manifest entry)] of shared/fixtures/real-outputs of one kind ([] where absent)."""
    manifest = REAL_OUTPUTS / "MANIFEST.json"
    if not manifest.is_file():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return [
        (entry["file"], (REAL_OUTPUTS / entry["file"]).read_text(encoding="utf-8"), entry)
        for entry in entries
        if entry["kind"] == kind
    ]


# --- mutations ----------------------------------------------------------------------
# Each is (name, function(text, data) -> text); `data` is hypothesis' draw source.


def truncate(text, data):
    return text[: data.draw(st.integers(0, max(len(text) - 1, 0)), label="cut at")]


def truncate_at_line(text, data):
    lines = text.splitlines(True)
    return "".join(lines[: data.draw(st.integers(0, max(len(lines) - 1, 0)), label="lines kept")])


def swap_lines(text, data):
    lines = text.splitlines(True)
    if len(lines) < 2:
        return text
    first = data.draw(st.integers(0, len(lines) - 1), label="swap")
    second = data.draw(st.integers(0, len(lines) - 1), label="with")
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def delete_line(text, data):
    lines = text.splitlines(True)
    if not lines:
        return text
    del lines[data.draw(st.integers(0, len(lines) - 1), label="deleted line")]
    return "".join(lines)


def duplicate_line(text, data):
    lines = text.splitlines(True)
    if not lines:
        return text
    index = data.draw(st.integers(0, len(lines) - 1), label="duplicated line")
    return "".join(lines[: index + 1] + [lines[index]] + lines[index + 1 :])


def huge_number(text, data):
    numbers = list(re.finditer(r"[0-9]+", text))
    if not numbers:
        return text
    match = data.draw(st.sampled_from(numbers), label="number")
    digits = data.draw(st.sampled_from([25, 400, 5000]), label="digits")
    return text[: match.start()] + "9" * digits + text[match.end() :]


def binary_noise(text, data):
    noise = data.draw(st.binary(min_size=1, max_size=200), label="noise").decode("latin-1")
    at = data.draw(st.integers(0, len(text)), label="at")
    return text[:at] + noise + text[at:]


def replace_with_bytes(text, data):
    return data.draw(st.binary(max_size=2000), label="bytes").decode("utf-8", "replace")


def empty(text, data):
    return data.draw(st.sampled_from(["", "\n", "   \n\t\n", "\x00"]), label="empty")


# Mutations after which every value read must be the original's or None.
FAITHFUL = {
    "truncate": truncate,
    "truncate_at_line": truncate_at_line,
    "delete_line": delete_line,
    "duplicate_line": duplicate_line,
}
# Mutations after which values may move between records (still only values the original shows).
SHUFFLING = {"swap_lines": swap_lines}
# Mutations that must not raise; what they may yield is checked per parser.
HOSTILE = {
    "huge_number": huge_number,
    "binary_noise": binary_noise,
    "replace_with_bytes": replace_with_bytes,
    "empty": empty,
}
ALL = dict(FAITHFUL, **SHUFFLING)
ALL.update(HOSTILE)


def ten_megabytes(text):
    """`text` repeated to 10 MB: an output gone mad, or a paste of a whole log."""
    text = text or "x\n"
    return (text * (10 * 2**20 // len(text) + 1))[: 10 * 2**20]
