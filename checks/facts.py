"""Facts: a plain, JSON-able description of one machine, and the one table of its fields.

Probes (the real OS, a browser, a pasted tool output, a saved file) produce
facts; the evaluation reads them. Nothing else crosses that line. A value that
could not be measured is None, and `unknown` says why, keyed by the fact's
dotted path ("ram.total_bytes": "psutil absent and /proc/meminfo unreadable").

FIELDS below is the contract: every field with its kind and meaning. From it
come `new_facts()`, the validation of saved facts (checks/saved.py) and the
facts part of the report schema (docs/reference/report.schema.json, checked
against `facts_json_schema()` by the tests and rewritten by `make corpus-update`).

Every way in (the probes, a saved file, a paste, the browser) ends with
`clean_facts`: control characters (C0 but tab and newline, DEL, C1), bidi and
zero-width controls, line and paragraph separators, lone surrogates and
private-use characters are removed from every string, keys included, and
`sanitized` says where and what. A GPU name can then neither move the
terminal's cursor, set its title or clipboard (ESC, OSC), nor read as another
model ("GTX \u202e0561" shows as "GTX 0561", never as "GTX 1650").
"""

from __future__ import annotations

import re
from collections import OrderedDict, namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from .contracts import Facts, Gpu

FACTS_SCHEMA = "invoke-check-facts/1"
ORIGINS = ("probe", "browser", "file", "nvidia-smi", "rocm-smi", "system-profiler")

# The kinds of value a field holds. Every leaf may also be null (None): not measured.
TEXT = "text"
FLAG = "flag"  # true or false
SIZE = "size"  # a whole number of bytes
NUMBER = "number"  # a whole number that is not a size (an exit code)
TEXTS = "texts"  # a list of text
OBJECT = "object"  # fields of its own (`fields`), or null
OBJECTS = "objects"  # a list of objects with fields of their own (`fields`)
FLAG_MAP = "flag map"  # {"name": true | false | null}
TEXT_MAP = "text map"  # {"name": "text"}
ANY = "any"  # free-form: what a browser reported, kept as it came

Field = namedtuple("Field", "kind meaning default fields choices required")


def field(
    kind: str,
    meaning: str,
    default: Any = None,
    fields: OrderedDict[str, Field] | None = None,
    choices: tuple[str, ...] | None = None,
    required: bool = False,
) -> Field:
    """One field: `required` ones must be there in each object of a list (a GPU's vendor and name)."""
    return Field(kind, meaning, default, fields, choices, required)


def _fields(*items):
    return OrderedDict((name, spec) for name, spec in items)


# "unavailable": the checker could not run the tool for a reason of its own (too many
# open files, no process slot, no memory), which says nothing about the tool.
TOOL_STATUSES = ("ok", "missing", "failed", "timeout", "error", "unavailable", "not-run")

GPU_FIELDS = _fields(
    ("vendor", field(TEXT, "Who made the GPU: nvidia, amd, apple, intel or other.", required=True)),
    ("name", field(TEXT, "The GPU's name as the tool or browser reported it.", required=True)),
    (
        "name_truncated",
        field(FLAG, "The tool cut the name short (nvidia-smi's table ends it with \"...\").", default=False),
    ),
    (
        "name_exact",
        field(FLAG, "The name is the exact model; false where a browser names only a similar one.", default=True),
    ),
    (
        "vram_bytes",
        field(
            SIZE,
            "The GPU's own memory (Apple Silicon has none of its own: a Mac is judged by its memory, ram.total_bytes).",
        ),
    ),
    ("vram_is_estimate", field(FLAG, "vram_bytes is an estimate, not a measured size.", default=False)),
    ("driver_version", field(TEXT, "The driver version the tool reported.")),
    ("cuda_version", field(TEXT, "The highest CUDA version the NVIDIA driver supports.")),
    ("rocm_version", field(TEXT, "The ROCm version rocm-smi reported.")),
    ("compute_capability", field(TEXT, "The CUDA compute capability, such as \"7.5\".")),
    ("mig", field(FLAG, "The GPU is split into MIG instances.")),
    (
        "source",
        field(TEXT, "Where the GPU was seen: nvidia-smi, rocm-smi, sysfs, sysctl, system_profiler, webgl, webgpu..."),
    ),
)

FIELDS = _fields(
    ("schema", field(TEXT, "The facts format: %s." % FACTS_SCHEMA, default=FACTS_SCHEMA, choices=(FACTS_SCHEMA,))),
    (
        "origin",
        field(
            TEXT,
            "What produced the facts: a probe of this machine, a browser, a saved file, "
            "or an nvidia-smi, rocm-smi or system_profiler output alone (pasted, or given to "
            "check.py).",
            choices=ORIGINS,
        ),
    ),
    (
        "os",
        field(
            OBJECT,
            "The operating system.",
            fields=_fields(
                ("system", field(TEXT, "The OS as Python names it: Linux, Darwin (macOS) or Windows.")),
                ("release", field(TEXT, "The OS release: the kernel release on Linux, 10 or 11 on Windows.")),
                ("version", field(TEXT, "The OS version: the macOS version, the Windows build, the kernel build.")),
                ("machine", field(TEXT, "The processor architecture: x86_64, arm64, AMD64...")),
                (
                    "distro",
                    field(
                        OBJECT,
                        "The Linux distribution, from /etc/os-release.",
                        fields=_fields(
                            ("id", field(TEXT, "The distribution's id, such as ubuntu.")),
                            ("id_like", field(TEXTS, "The distributions it derives from, such as [\"debian\"].")),
                            ("version_id", field(TEXT, "The distribution's version, such as 24.04.")),
                            ("pretty_name", field(TEXT, "The distribution's name as it shows it.")),
                        ),
                    ),
                ),
                ("wsl", field(FLAG, "Linux runs under Windows' WSL.")),
                ("apple_silicon", field(FLAG, "A Mac with an Apple Silicon (M-series) chip.")),
                ("rosetta", field(FLAG, "This Python runs translated by Rosetta 2 on Apple Silicon.")),
            ),
        ),
    ),
    (
        "python",
        field(
            OBJECT,
            "The Python that ran the check, and the others found.",
            fields=_fields(
                ("version", field(TEXT, "Its version, such as 3.11.9.")),
                ("executable", field(TEXT, "Its path.")),
                ("implementation", field(TEXT, "CPython, PyPy...")),
                (
                    "others",
                    field(
                        OBJECTS,
                        "Other Pythons found on PATH (or by the py launcher).",
                        default=[],
                        fields=_fields(
                            ("version", field(TEXT, "Its version.", required=True)), ("path", field(TEXT, "Its path."))
                        ),
                    ),
                ),
                ("bits", field(NUMBER, "Its pointer size in bits: 64, or 32 for a 32-bit build.")),
                (
                    "microsoft_store",
                    field(FLAG, "It is the Microsoft Store's Python (it runs from a WindowsApps folder)."),
                ),
                (
                    "path_python",
                    field(TEXT, "On Windows, the python the PATH finds first: the one the installer runs."),
                ),
                (
                    "path_python_kind",
                    field(
                        TEXT,
                        "What that python is: installed (a real install), microsoft-store "
                        "(the Store's Python), or store-alias (Windows' stub that opens the Store).",
                    ),
                ),
                (
                    "framework",
                    field(FLAG, "On macOS, it is python.org's build (in /Library/Frameworks/Python.framework)."),
                ),
                ("cafile", field(TEXT, "The certificate file its OpenSSL reads (ssl.get_default_verify_paths).")),
                ("cafile_present", field(FLAG, "That certificate file exists.")),
            ),
        ),
    ),
    (
        "ram",
        field(
            OBJECT,
            "System memory.",
            fields=_fields(
                ("total_bytes", field(SIZE, "Installed memory as the OS reports it.")),
                (
                    "source",
                    field(TEXT, "Where total_bytes was read: psutil, /proc/meminfo, sysctl, GlobalMemoryStatusEx."),
                ),
                ("cgroup_limit_bytes", field(SIZE, "The memory limit of the container this runs in, if any.")),
            ),
        ),
    ),
    ("gpus", field(OBJECTS, "Every GPU found, dedicated or not.", default=[], fields=GPU_FIELDS)),
    (
        "gpu_hardware",
        field(
            OBJECT,
            "GPUs seen on the PCI bus, whether or not their driver works.",
            fields=_fields(
                ("nvidia", field(FLAG, "An NVIDIA GPU is on the bus.")),
                ("amd", field(FLAG, "An AMD GPU is on the bus.")),
            ),
        ),
    ),
    (
        "nvidia_smi",
        field(
            OBJECT,
            "What nvidia-smi did.",
            fields=_fields(
                (
                    "status",
                    field(
                        TEXT,
                        "ok, missing (not installed), failed, timeout, error, unavailable (the checker "
                        "could not run it: a limit of its own), or not-run.",
                        default="not-run",
                        choices=TOOL_STATUSES,
                    ),
                ),
                ("path", field(TEXT, "The nvidia-smi that ran.")),
                ("failure", field(TEXT, "Which known failure its message is: an id of driver.nvidia's failures.")),
                ("message", field(TEXT, "Its own words when it failed (first lines only).")),
                ("exit_code", field(NUMBER, "Its exit code.")),
            ),
        ),
    ),
    (
        "rocm_smi",
        field(
            OBJECT,
            "What rocm-smi did.",
            fields=_fields(
                (
                    "status",
                    field(
                        TEXT,
                        "ok, missing (not installed), failed, timeout, error, unavailable (the checker "
                        "could not run it: a limit of its own), or not-run.",
                        default="not-run",
                        choices=TOOL_STATUSES,
                    ),
                ),
                ("path", field(TEXT, "The rocm-smi that ran.")),
                ("driver_version", field(TEXT, "The AMD driver version it reported.")),
                ("rocm_version", field(TEXT, "The ROCm version it reported.")),
                ("message", field(TEXT, "Its own words when it failed (first lines only).")),
            ),
        ),
    ),
    (
        "disk",
        field(
            OBJECT,
            "The disk Invoke would be installed on.",
            fields=_fields(
                ("install_dir", field(TEXT, "Where Invoke would go (the app's root folder).")),
                (
                    "measured_path",
                    field(TEXT, "The existing folder that was measured: install_dir or its nearest parent."),
                ),
                ("free_bytes", field(SIZE, "Free space there.")),
                ("total_bytes", field(SIZE, "The size of that filesystem.")),
                ("rotational", field(FLAG, "The disk is a spinning hard disk (false: a solid-state drive).")),
            ),
        ),
    ),
    (
        "temp",
        field(
            OBJECT,
            "The temporary folder the installer unpacks into.",
            fields=_fields(
                ("path", field(TEXT, "The folder (TMPDIR, TEMP or TMP, else the system's).")),
                ("mount_point", field(TEXT, "The mount point of the filesystem that holds it.")),
                ("fs_type", field(TEXT, "That filesystem's type, such as ext4 or tmpfs.")),
                ("is_tmpfs", field(FLAG, "It is held in RAM (tmpfs or ramfs).")),
                ("free_bytes", field(SIZE, "Free space there.")),
                ("total_bytes", field(SIZE, "The size of that filesystem.")),
            ),
        ),
    ),
    (
        "windows",
        field(
            OBJECT,
            "Windows settings the installer needs.",
            fields=_fields(
                ("long_paths", field(FLAG, "Long paths are enabled (LongPathsEnabled is 1 in the registry).")),
                (
                    "vc_runtime",
                    field(FLAG_MAP, "The Visual C++ runtime DLLs in System32, by file name: found or not.", default={}),
                ),
            ),
        ),
    ),
    (
        "macos",
        field(
            OBJECT,
            "macOS tools the installer needs.",
            fields=_fields(
                (
                    "xcode_cli",
                    field(
                        FLAG, "The Xcode Command Line Tools are installed (xcode-select -p names a folder that exists)."
                    ),
                ),
                ("xcode_path", field(TEXT, "The folder xcode-select -p printed.")),
            ),
        ),
    ),
    ("libs", field(FLAG_MAP, "Shared libraries OpenCV needs, by file name: found (true) or not (false).", default={})),
    ("browser", field(ANY, "What the browser reported (only when origin is browser).")),
    ("unknown", field(TEXT_MAP, "Why a fact is unknown, keyed by its dotted path.", default={})),
    ("probe_errors", field(TEXT_MAP, "Probes that failed, with what went wrong.", default={})),
    (
        "sanitized",
        field(
            TEXT_MAP,
            "Control or invisible characters removed from the input, keyed by where they were "
            "(\"gpus[0].name\"): what was removed.",
            default={},
        ),
    ),
)


def _new(fields, top=False):
    """A fresh object of `fields`: the sections of facts are always there, nested objects start as null."""
    made = OrderedDict()
    for name, spec in fields.items():
        if spec.kind == OBJECT and top:
            made[name] = _new(spec.fields)
        elif isinstance(spec.default, (list, dict)):
            made[name] = type(spec.default)()
        else:
            made[name] = spec.default
    return dict(made)


def new_facts(origin: str) -> Facts:
    """An empty facts object: everything unknown until a probe fills it in."""
    facts = _new(FIELDS, top=True)
    facts["origin"] = origin
    del facts["browser"]  # only a browser's facts have it
    return facts


def new_gpu(vendor: str, name: str, source: str) -> Gpu:
    gpu = _new(GPU_FIELDS)
    gpu.update(vendor=vendor, name=name, source=source)
    return gpu


_JSON_TYPES = {TEXT: "string", FLAG: "boolean", SIZE: "integer", NUMBER: "integer"}


def facts_json_schema() -> dict[str, Any]:
    """The JSON Schema of facts, made from FIELDS: the facts part of the report schema."""
    schema = _object_schema(FIELDS, "The machine as the probes saw it. Feed it back with --facts.")
    schema["required"] = ["schema", "origin"]
    return schema


def _object_schema(fields, description):
    return OrderedDict(
        [
            ("type", "object"),
            ("description", description),
            ("properties", OrderedDict((name, _field_schema(spec)) for name, spec in fields.items())),
        ]
    )


def _field_schema(spec):
    if spec.choices:
        return OrderedDict([("enum", list(spec.choices)), ("description", spec.meaning)])
    if spec.kind in _JSON_TYPES:
        node = OrderedDict([("type", [_JSON_TYPES[spec.kind], "null"]), ("description", spec.meaning)])
        if spec.kind == SIZE:
            node["minimum"] = 0
        return node
    if spec.kind == TEXTS:
        return OrderedDict([("type", ["array", "null"]), ("description", spec.meaning), ("items", {"type": "string"})])
    if spec.kind == OBJECT:
        node = _object_schema(spec.fields, spec.meaning)
        node["type"] = ["object", "null"]
        return node
    if spec.kind == OBJECTS:
        items = _object_schema(spec.fields, spec.meaning)
        del items["description"]
        required = [name for name, item in spec.fields.items() if item.required]
        if required:
            items["required"] = required
        return OrderedDict([("type", "array"), ("description", spec.meaning), ("items", items)])
    if spec.kind == FLAG_MAP:
        return OrderedDict(
            [("type", "object"), ("description", spec.meaning), ("additionalProperties", {"type": ["boolean", "null"]})]
        )
    if spec.kind == TEXT_MAP:
        return OrderedDict(
            [("type", "object"), ("description", spec.meaning), ("additionalProperties", {"type": "string"})]
        )
    return OrderedDict([("description", spec.meaning)])


# Characters that may stay: printable ASCII, tab and newline. Anything else is looked at.
_PLAIN = re.compile(r"[^\t\n\x20-\x7e]")
_REMOVED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def clean_text(text):
    """(text without unsafe characters, sorted list of the code points removed)."""
    if not _PLAIN.search(text):
        return text, []
    import unicodedata  # here: facts in plain ASCII, the usual ones, never need it

    kept, removed = [], set()
    for char in text:
        if char in "\t\n" or unicodedata.category(char) not in _REMOVED_CATEGORIES:
            kept.append(char)
        else:
            removed.add(ord(char))
    return "".join(kept), sorted(removed)


def describe_removed(code_points):
    """ "U+202E RIGHT-TO-LEFT OVERRIDE, U+001B" for a list of code points."""
    import unicodedata

    names = []
    for point in code_points[:8]:
        name = unicodedata.name(chr(point), "") if not 0xD800 <= point <= 0xDFFF else ""
        names.append("U+%04X %s" % (point, name) if name else "U+%04X" % point)
    if len(code_points) > 8:
        names.append("%d more" % (len(code_points) - 8))
    return ", ".join(names)


def clean_facts(facts):
    """`facts` with unsafe characters removed from every string (in place; also returned).

    What was removed is added to facts["sanitized"], keyed by where it was
    ("gpus[0].name"), so reports can show it.
    """
    notes = {}
    cleaned = _clean(facts, "", notes)
    facts.clear()
    facts.update(cleaned)
    if notes:
        merged = dict(facts["sanitized"]) if isinstance(facts.get("sanitized"), dict) else {}
        merged.update(notes)
        facts["sanitized"] = merged
    return facts


def _clean(value, where, notes):
    if isinstance(value, str):
        text, removed = clean_text(value)
        if removed:
            notes[where or "(top)"] = "removed %s" % describe_removed(removed)
        return text
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if isinstance(key, str):
                clean_key, removed = clean_text(key)
                if removed:
                    notes[_join(where, clean_key)] = "removed %s from the key" % describe_removed(removed)
            else:
                clean_key = key
            result[clean_key] = _clean(item, _join(where, clean_key), notes)
        return result
    if isinstance(value, list):
        return [_clean(item, "%s[%d]" % (where, index), notes) for index, item in enumerate(value)]
    return value


def _join(where, key):
    return "%s.%s" % (where, key) if where else str(key)
