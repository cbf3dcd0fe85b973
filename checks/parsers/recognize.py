"""Which tool's output a text is: one table of the kinds of input the checker accepts.

Each entry is (kind, what it is in words, recognize(text) -> bool). An entry
recognises its tool's output positively, by what is in it (a banner, a header,
a known message), never by how many lines it has. Input that no entry
recognises is refused with one sentence naming what was expected.

To accept another tool's output, add its entry here and a branch where the
kind is used (the command line's option, the page's paste box).
"""

from . import macos, nvidia_smi, rocm_smi

# Nothing any accepted tool prints comes near this; a longer input is cut before any parser sees it.
MAX_INPUT_CHARS = nvidia_smi.MAX_CHARS


def _looks_like_check_json(text):
    """check.py's own JSON (a report or facts): an object that is not rocm-smi's --json."""
    return text.lstrip()[:1] == "{" and not rocm_smi.looks_like_rocm_smi(text)


def _nvidia_smi_output(text):
    """An nvidia-smi table, query CSV or -q report (not an error message)."""
    return nvidia_smi.parse_nvidia_smi(text)["format"] not in ("unrecognized", "failure")


def _nvidia_smi_failure(text):
    return nvidia_smi.parse_nvidia_smi(text)["format"] == "failure"


# In this order: nvidia-smi's own outputs first (an `nvidia-smi -q` report has
# "key : value" lines rocm-smi also prints), then rocm-smi and system_profiler by
# their own signs, and only then is a text taken for an nvidia-smi error message.
# An entry without words is described by the first entry of its kind.
KINDS = [
    ("json", "the JSON that check.py --json prints", _looks_like_check_json),
    (
        "nvidia-smi",
        "the output of nvidia-smi (its table, its --query-gpu CSV, nvidia-smi -q, or its error message)",
        _nvidia_smi_output,
    ),
    (
        "rocm-smi",
        "the output of rocm-smi (its table, --showproductname, --showmeminfo vram or "
        "--showdriverversion, plain, --csv or --json)",
        rocm_smi.looks_like_rocm_smi,
    ),
    (
        "system-profiler",
        "the output of system_profiler SPHardwareDataType SPDisplaysDataType",
        macos.looks_like_system_profiler,
    ),
    ("nvidia-smi", None, _nvidia_smi_failure),
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
    words = [what for kind, what, _ in KINDS if what and (kinds is None or kind in kinds)]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " or " + words[-1]]
    return "Expected " + words[0]
