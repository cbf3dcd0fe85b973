"""The shapes of input that make backtracking patterns slow (ReDoS), for the linear-time test and hypothesis."""

import importlib
import inspect
import pkgutil

from hypothesis import strategies as st

import checks.parsers

# Parsers of structured input (a dict from the browser), not of text.
STRUCTURED = {"gpu_strings.parse_webgpu_adapter", "gpu_strings.gpu_from_browser"}


def text_parsers():
    """(name, function) of every public parser in checks/parsers: parse_*, recognize, classify_*, *_from_*."""
    found = []
    for module_info in pkgutil.iter_modules(checks.parsers.__path__):
        module = importlib.import_module("checks.parsers." + module_info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if name.startswith(("parse_", "recognize", "classify_")) or "_from_" in name or name == "banner_versions":
                found.append(("%s.%s" % (module_info.name, name), function))
    return sorted(found)


def _repeat(unit, size):
    return (unit * (size // len(unit) + 1))[:size]


# name: function(size in characters) -> text
SHAPES = {
    "digits": lambda size: _repeat("1", size),
    "spaces": lambda size: _repeat(" ", size - 1) + "x",
    "pipes": lambda size: _repeat("|", size),
    "column of pipes": lambda size: _repeat("|\n", size),
    "pipe then digits": lambda size: "|" + _repeat("1", size - 1),
    "lines of spaces in a GPU cell": lambda size: _repeat("|   0  A" + " " * 990 + "B  |  x |\n", size),
    "memory cells without an end": lambda size: _repeat("| 1" * 3 + "MiB / " + "9" * 40, size),
    "brackets": lambda size: _repeat("[", size),
}


def adversarial_text(max_size=20000):
    """A hypothesis strategy: one of the shapes, of a drawn size, maybe inside real-looking text."""
    return st.builds(
        lambda name, size, before, after: before + SHAPES[name](size) + after,
        st.sampled_from(sorted(SHAPES)),
        st.integers(1, max_size),
        st.sampled_from(
            [
                "",
                "| NVIDIA-SMI 580.95.05   Driver Version: 580.95.05   CUDA Version: 13.0 |\n",
                "name, memory.total [MiB], driver_version\n",
                "==============NVSMI LOG==============\n",
            ]
        ),
        st.sampled_from(["", "\n", " |\n", "MiB |\n"]),
    )
