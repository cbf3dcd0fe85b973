"""Read what nvidia-smi prints: the plain table, a --query-gpu CSV, `nvidia-smi -q`, or a failure.

Read by meaning, not by label text: the banner's versions are told apart by
what they are (a CUDA label holds the CUDA version; the other labelled driver
version is the driver's), so `Driver Version:` (R3xx-R595) and `KMD Version:`
/ `CUDA UMD Version:` (R610) read alike, and so will the next rename. The
table is parsed as people paste it into issues: old and new layouts, the
Windows driver-model column (WDDM/TCC/MCDM), names cut short with "...", MIG,
several GPUs, memory in MiB or in the MB that drivers before R340 printed (it
meant MiB), `N/A` or `Not Supported` where a board has no figure, `watch`
headers and markdown fences glued to lines.

A failure message is recognised by what it says and named by a failure id of
the rules (FAILURES below; the rules give each its title and fix).

Linear time on any input: the input is cut at MAX_CHARS, lines longer than
MAX_LINE are skipped, and every pattern has bounded repetition.
"""

import re

from ..facts import new_gpu
from ..units import plausible_bytes

MIB = 1048576

# No real output comes near these: a whole eight-GPU table with its process
# list is about 20 KB, the widest --query-gpu CSV line about 10 KB.
MAX_CHARS = 2**20
MAX_LINE = 2**15

# Columns asked for by the probe, in this order, when there is no header.
QUERY_FIELDS = ("name", "memory.total", "driver_version", "compute_cap", "mig.mode.current")

# Failure ids (as in the rules' driver.nvidia failures) and what each message says.
FAILURES = (
    ("driver-library-mismatch", re.compile(r"Driver/library version mismatch", re.IGNORECASE)),
    (
        "nvml-missing",
        re.compile(
            r"couldn't find libnvidia-ml\.so|NVML Shared Library Not Found|"
            r"libnvidia-ml\.so(?:\.1)?: cannot open shared object",
            re.IGNORECASE,
        ),
    ),
    (
        "driver-not-loaded",
        re.compile(
            r"couldn't communicate with the NVIDIA driver|NVML: Driver Not Loaded|"
            r"NVIDIA driver is not loaded",
            re.IGNORECASE,
        ),
    ),
    (
        "gpu-lost",
        re.compile(
            r"Unable to (?:determine|detect) the device handle for GPU|GPU has fallen off the bus|"
            r"GPU is lost",
            re.IGNORECASE,
        ),
    ),
    ("nvml-unknown-error", re.compile(r"Failed to initialize NVML: Unknown Error", re.IGNORECASE)),
    ("no-devices", re.compile(r"No devices were found", re.IGNORECASE)),
    # The shell's own words: bash/zsh/sh, PowerShell, and cmd.exe in any language
    # (cmd.exe starts its message with the quoted command name).
    (
        "not-installed",
        re.compile(
            r"nvidia-smi(?:\.exe)?: (?:command )?not found|command not found: nvidia-smi|"
            r"The term 'nvidia-smi(?:\.exe)?' is not recognized|^'nvidia-smi(?:\.exe)?' \S|"
            r"No such file or directory: '[^']{0,200}nvidia-smi'",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
)
# A failure message is a few lines: only the first ones are searched (a prompt or a log may surround it).
FAILURE_LINES = 200
# nvidia-smi's documented exit codes for the failures above (its man page).
FAILURE_EXIT_CODES = {9: "driver-not-loaded", 12: "nvml-missing", 15: "gpu-lost"}
# Answers of a working driver that is not the table (an older driver refusing a query field).
_DRIVER_ANSWERS = re.compile(r'Field "[^"]{1,60}" is not a valid field to query')

_SMI_VERSION = re.compile(r"NVIDIA-SMI[ \t]{1,40}v?([0-9]{1,4}(?:\.[0-9]{1,4}){1,3})(?![0-9.])")
# "<label>: <value>" in the banner: "Driver Version: 580.95.05", "CUDA UMD Version: 13.3".
_LABELLED = re.compile(r"([A-Za-z][A-Za-z .\-]{0,40}?):[ \t]{0,40}([0-9][0-9.]{0,20}|N/A)(?![0-9.])")
_DRIVER_VERSION = re.compile(r"^[0-9]{2,4}\.[0-9]{1,4}(?:\.[0-9]{1,4})?$")
_CUDA_VERSION = re.compile(r"^[0-9]{1,3}\.[0-9]{1,3}$")
# "211MiB /   8192MiB" (MB on drivers before R340, meaning MiB).
_MEMORY_CELL = re.compile(
    r"(?<![0-9])([0-9]{1,9})[ \t]{0,8}(MiB|MB)[ \t]{0,8}/[ \t]{0,8}"
    r"([0-9]{1,9})[ \t]{0,8}(MiB|MB)(?![A-Za-z])"
)
_NO_MEMORY_FIGURE = re.compile(r"Not Supported|N/A[ \t]{0,8}/[ \t]{0,8}N/A")
_MODES = ("On", "Off", "WDDM", "TCC", "MCDM", "N/A")
_VERSION = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,6}){1,4}$")
_MEMORY_VALUE = re.compile(r"^([0-9]{1,12})(?:[ \t]{0,4}MiB)?$")


def parse_nvidia_smi(text, query_fields=None):
    """Parse any nvidia-smi output; see the module docstring. Never raises.

    Returns {"format": "table" | "csv" | "query" | "failure" | "unrecognized",
    "gpus", "driver_version", "cuda_version", "cuda_note", "failure", "message",
    "reason"}. query_fields: the --query-gpu fields of a headerless CSV, when
    they are not QUERY_FIELDS or one of its leading parts.
    """
    try:
        return _parse(text, query_fields)
    except Exception as exc:  # a parser bug must not stop the check
        return _result("unrecognized", reason="could not parse: %s: %s" % (type(exc).__name__, exc))


def recognize(text):
    """True when `text` is positively one of nvidia-smi's outputs (a table, a query CSV, -q, or a known failure)."""
    return parse_nvidia_smi(text)["format"] != "unrecognized"


def classify_failure(text, exit_code=None):
    """The rules' failure id for what a failing nvidia-smi printed (or its exit code), or None."""
    text = text if isinstance(text, str) else ""
    lines = [line for line in text[:MAX_CHARS].splitlines() if line.strip() and len(line) <= MAX_LINE]
    for line in lines[:FAILURE_LINES]:
        for failure, pattern in FAILURES:
            if pattern.search(line.strip()):
                return failure
    return FAILURE_EXIT_CODES.get(exit_code)


def _result(fmt, gpus=None, driver=None, cuda=None, message=None, reason=None, failure=None, cuda_note=None):
    return {
        "format": fmt,
        "gpus": gpus or [],
        "driver_version": driver,
        "cuda_version": cuda,
        "cuda_note": cuda_note,
        "failure": failure,
        "message": message,
        "reason": reason,
    }


def _parse(text, query_fields):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return _result("unrecognized", reason="expected text, got %s" % type(text).__name__)
    cut = len(text) > MAX_CHARS
    every_line = _clean_lines(text[:MAX_CHARS])
    if cut:
        every_line = every_line[:-1]  # the last line may be cut in the middle
    lines = [line for line in every_line if len(line) <= MAX_LINE]
    if not any(line.strip() for line in lines):
        if len(lines) < len(every_line):
            return _result(
                "unrecognized",
                reason="no line nvidia-smi would print: only lines longer than %d KB" % (MAX_LINE // 1024),
            )
        return _result("unrecognized", reason="the output is empty")
    table = _parse_table(lines)
    if table is not None:
        return table
    query = _parse_query(lines)
    if query is not None:
        return query
    csv = _parse_csv([line for line in lines if line.strip()], query_fields)
    if csv is not None:
        return csv
    message = "\n".join(line.strip() for line in lines if line.strip())
    failure = classify_failure(message)
    if failure or (len(message) < 2000 and _DRIVER_ANSWERS.search(message)):
        return _result(
            "failure", message=message, failure=failure, reason="nvidia-smi printed an error instead of GPUs"
        )
    return _result(
        "unrecognized",
        reason="neither the nvidia-smi table, its CSV output, its -q report nor one of its error messages",
    )


def _clean_lines(text):
    text = text.replace("\ufeff", "").replace("```", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- the plain table -------------------------------------------------------------


def banner_versions(line):
    """(driver, cuda, cuda_shown_as_na) from a banner line, by what each value is."""
    driver = cuda = None
    na = False
    for label, value in _LABELLED.findall(line):
        if "cuda" in label.lower():
            if value == "N/A":
                na = True
            elif cuda is None and _CUDA_VERSION.match(value):
                cuda = value
        elif driver is None and "version" in label.lower() and _DRIVER_VERSION.match(value):
            driver = value
    return driver, cuda, na


def _parse_table(lines):
    """The table, or None when these lines are not one (no banner and no GPU memory cell inside borders)."""
    smi = driver = cuda = None
    na = False
    banner = False
    gpus = []
    current = None  # the GPU whose block the next lines belong to
    block_line = 0  # lines seen in that block
    no_memory = False
    for line in lines:
        if "|" not in line:
            continue
        found = _SMI_VERSION.search(line) if "NVIDIA-SMI" in line else None
        if found and not banner:
            banner = True
            smi = found.group(1)
            driver, cuda, na = banner_versions(line[found.end() :])
            continue
        if "MIG devices:" in line or "Processes:" in line:
            break
        cells = _cells(line)
        if not cells:
            current = None
            continue
        # A GPU row has several cells; a process row (whose header may be missing) has one.
        name = _gpu_name(cells[0]) if len(cells) >= 2 else None
        if name:
            current = new_gpu("nvidia", name, "nvidia-smi")
            current["name_truncated"] = name.endswith("...")
            gpus.append(current)
            block_line = 0
            continue
        if current is None:
            continue
        block_line += 1
        memory = _MEMORY_CELL.search(line) if current["vram_bytes"] is None else None
        if memory:
            current["vram_bytes"] = _mib(memory.group(3))
        elif block_line == 1 and _NO_MEMORY_FIGURE.search(line):
            no_memory = True
        elif block_line == 2 and len(cells) >= 3:
            current["mig"] = {"Enabled": True, "Disabled": False}.get(cells[-1].strip())
    if not banner and not any(gpu["vram_bytes"] for gpu in gpus):
        return None
    cuda_note = None
    if cuda is None:
        cuda_note = "na" if na else ("no-field" if banner else "no-banner")
    for gpu in gpus:
        gpu["driver_version"] = driver
        gpu["cuda_version"] = cuda
    result = _result("table", gpus, driver, cuda, cuda_note=cuda_note)
    result["smi_version"] = smi
    if not gpus:
        result["reason"] = "the table lists no GPU"
    elif driver is None:
        result["reason"] = (
            "the table has no driver version in its banner" if banner else "the table's banner is missing"
        )
    elif no_memory and any(gpu["vram_bytes"] is None for gpu in gpus):
        result["reason"] = "nvidia-smi shows no memory figure for this board (N/A or Not Supported)"
    return result


def _cells(line):
    """The cells of a table row (text between '|'), or [] for a border or other line."""
    stripped = line.strip()
    if not stripped.startswith("|") or set(stripped) <= set("|+-=: "):
        return []
    return stripped.strip("|").split("|")


def _gpu_name(cell):
    """The GPU name in the first cell of a GPU row ("  0  NVIDIA H200   On"), or None.

    A name cut short with "..." may touch the mode: "NVIDIA GeForce ...Off".
    """
    words = cell.split()
    if len(words) < 2 or not words[0].isdigit() or len(words[0]) > 3:
        return None
    last = words[-1]
    if last in _MODES and len(words) >= 3:
        return " ".join(words[1:-1])
    for mode in _MODES:
        if last.endswith("..." + mode):
            return " ".join(words[1:-1] + [last[: -len(mode)]])
    return None


# --- nvidia-smi -q ----------------------------------------------------------------


def _parse_query(lines):
    """`nvidia-smi -q`: the driver and CUDA versions and each GPU's name and memory, or None."""
    if not any("NVSMI LOG" in line for line in lines[:40]):
        return None
    driver = cuda = None
    na = False
    for line in lines:
        if line[:1].isspace() or ":" not in line:
            continue  # the versions are the report's unindented lines
        label, _, value = line.partition(":")
        lowered = label.strip().lower()
        words = value.split()
        version = words[0] if words else ""
        if "cuda" in lowered and "version" in lowered:
            if version == "N/A":
                na = True
            elif _CUDA_VERSION.match(version) and (cuda is None or "umd" in lowered):
                cuda = version
        elif "version" in lowered and ("driver" in lowered or "kmd" in lowered) and _DRIVER_VERSION.match(version):
            if driver is None or "kmd" in lowered:
                driver = version
    gpus = [
        new_gpu("nvidia", line.partition(":")[2].strip(), "nvidia-smi")
        for line in lines
        if line.strip().startswith("Product Name") and ":" in line and line.partition(":")[2].strip()
    ]
    _sections(lines, gpus)
    for gpu in gpus:
        gpu["driver_version"] = driver
        gpu["cuda_version"] = cuda
    result = _result("query", gpus, driver, cuda, cuda_note=None if cuda else ("na" if na else "no-field"))
    if not gpus:
        result["reason"] = "the report lists no GPU"
    return result


def _sections(lines, gpus):
    """Fill memory and MIG mode from the -q sections ("FB Memory Usage" / "Total", "MIG Mode" / "Current")."""
    index = -1
    section = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if ":" not in stripped:
            if indent <= 8:
                section = stripped
            continue
        label, _, value = stripped.partition(":")
        label, value = label.strip(), value.strip()
        if label == "Product Name" and indent <= 8:
            index += 1
            section = None
            continue
        if index < 0 or index >= len(gpus):
            continue
        if section == "FB Memory Usage" and label == "Total" and gpus[index]["vram_bytes"] is None:
            memory = _MEMORY_VALUE.match(value)
            if memory:
                gpus[index]["vram_bytes"] = _mib(memory.group(1))
        elif section == "MIG Mode" and label == "Current" and gpus[index]["mig"] is None:
            gpus[index]["mig"] = {"Enabled": True, "Disabled": False}.get(value)


def cuda_from_query(text):
    """The CUDA version `nvidia-smi -q` reports, or None."""
    parsed = parse_nvidia_smi(text)
    return parsed["cuda_version"] if parsed["format"] == "query" else None


# --- CSV from --query-gpu -----------------------------------------------------------


def _parse_csv(lines, query_fields=None):
    if not lines or any("|" in line for line in lines):
        return None
    header = [_field_name(cell) for cell in lines[0].split(",")]
    memory_in_mib = True
    if "name" in header and "memory.total" in header:
        rows = [
            _split_with_header(line, header)
            for line in lines[1:]
            if [_field_name(cell) for cell in line.split(",")] != header
        ]  # a header printed twice
        unit = _unit(lines[0].split(",")[header.index("memory.total")])
        memory_in_mib = unit is None or unit == "MiB"
    elif query_fields:
        rows = [_split_with_header(line, list(query_fields)) for line in lines]
        if not all(row and _looks_like_query_row([row.get(key, "") for key in QUERY_FIELDS[:3]]) for row in rows):
            return None
    else:
        rows = [_split_headerless(line) for line in lines]
        if not all(rows):
            return None
    gpus = [_csv_gpu(row) for row in rows if row]
    gpus = [gpu for gpu in gpus if gpu is not None]
    if not memory_in_mib:  # nvidia-smi prints MiB; a number in another unit is not read as MiB
        for gpu in gpus:
            gpu["vram_bytes"] = None
    drivers = [gpu["driver_version"] for gpu in gpus if gpu["driver_version"]]
    result = _result("csv", gpus, drivers[0] if drivers else None, None, cuda_note="csv")
    if not gpus:
        result["reason"] = "the CSV lists no GPU"
    elif not memory_in_mib:
        result["reason"] = "memory.total is not in MiB"
    return result


def _field_name(cell):
    """'memory.total [MiB]' -> 'memory.total'."""
    cell = cell.strip()
    if cell.endswith("]") and "[" in cell:
        cell = cell[: cell.rindex("[")].strip()
    return cell


def _unit(cell):
    """'memory.total [MiB]' -> 'MiB', or None without a unit."""
    cell = cell.strip()
    if cell.endswith("]") and "[" in cell:
        return cell[cell.rindex("[") + 1 : -1].strip()
    return None


def _split_with_header(line, header):
    values = line.split(",")
    extra = len(values) - len(header)
    if extra < 0:
        return None
    name_at = header.index("name")
    if extra:  # commas inside the name
        values[name_at : name_at + extra + 1] = [",".join(values[name_at : name_at + extra + 1])]
    return dict((key, value.strip()) for key, value in zip(header, values))


def _split_headerless(line):
    """Split a row of our own query from the right: the name may hold commas."""
    for count in (5, 4, 3):
        values = [value.strip() for value in line.rsplit(",", count - 1)]
        if len(values) == count and _looks_like_query_row(values) and not _ends_with_a_value(values[0]):
            return dict(zip(QUERY_FIELDS, values))
    return None


def _ends_with_a_value(name):
    """True when a name's last comma-separated part is a figure: the row has other columns than ours
    ("RTX 5080, 16303 MiB, 10379 MiB, ..." is total then free memory), so it cannot be read safely."""
    if "," not in name:
        return False
    last = name.rsplit(",", 1)[1].strip()
    return bool(_MEMORY_VALUE.match(last) or _VERSION.match(last))


def _looks_like_query_row(values):
    if not values[0] or not (_MEMORY_VALUE.match(values[1]) or _is_na(values[1])):
        return False
    if not _VERSION.match(values[2]):
        return False
    if len(values) > 3 and not (_VERSION.match(values[3]) or _is_na(values[3])):
        return False
    if len(values) > 4 and values[4] not in ("Enabled", "Disabled") and not _is_na(values[4]):
        return False
    return True


def _is_na(value):
    return value.strip("[]") in ("N/A", "Not Supported", "Unknown Error", "")


def _csv_gpu(row):
    name = row.get("name", "")
    if not name:
        return None
    gpu = new_gpu("nvidia", name, "nvidia-smi")
    memory = _MEMORY_VALUE.match(row.get("memory.total", ""))
    gpu["vram_bytes"] = _mib(memory.group(1)) if memory else None
    for key in ("driver_version", "kmd_version"):
        driver = row.get(key, "")
        if _VERSION.match(driver):
            gpu["driver_version"] = driver
            break
    capability = row.get("compute_cap", "")
    gpu["compute_capability"] = capability if _VERSION.match(capability) else None
    gpu["mig"] = {"Enabled": True, "Disabled": False}.get(row.get("mig.mode.current", ""))
    return gpu


def _mib(digits):
    """Bytes in a MiB figure, or None for a figure no GPU has."""
    if len(digits) > 12:
        return None
    return plausible_bytes(int(digits) * MIB)
