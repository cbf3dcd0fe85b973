"""Which tool's output a text is: one table of the kinds of input the checker accepts.

Each entry is (kind, what it is in words, recognize(text) -> bool). An entry
recognises its tool's output positively, by what is in it (a banner, a header,
a known message), never by how many lines it has. Input that no entry
recognises is refused with one sentence naming what was expected.

To accept another tool's output, add its entry here and a branch where the
kind is used (the command line's option, the page's paste box).
"""
from . import nvidia_smi

# Nothing any accepted tool prints comes near this; a longer input is cut before any parser sees it.
MAX_INPUT_CHARS = nvidia_smi.MAX_CHARS


def _looks_like_json(text):
    return text.lstrip()[:1] == "{"


KINDS = [
    ("json", "the JSON that check.py --json prints", _looks_like_json),
    ("nvidia-smi", "the output of nvidia-smi (its table, its --query-gpu CSV, nvidia-smi -q, or its error message)",
     nvidia_smi.recognize),
]


def recognize(text, kinds=None):
    """The kind of `text` (the first entry that recognises it), or None.

    kinds: the kinds to consider (default: all), in KINDS order.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text[:MAX_INPUT_CHARS]
    for kind, _, recognizer in KINDS:
        if (kinds is None or kind in kinds) and recognizer(text):
            return kind
    return None


def expected(kinds=None):
    """'Expected A, B or C' for a refusal, naming the kinds considered."""
    words = [what for kind, what, _ in KINDS if kinds is None or kind in kinds]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " or " + words[-1]]
    return "Expected " + words[0]
