"""Read what nvidia-smi prints: the plain table, a --query-gpu CSV, or a failure.

The table is parsed as people paste it into issues: old and new layouts, the
Windows driver-model column, names cut short with "...", MIG, several GPUs,
`watch` headers and markdown fences glued to lines. Failure texts are only
returned as the message: which failure it is, the rules decide.
"""
import re

from ..facts import new_gpu
from ..units import plausible_bytes

MIB = 1048576

# Columns asked for by the probe, in this order, when there is no header.
QUERY_FIELDS = ("name", "memory.total", "driver_version", "compute_cap", "mig.mode.current")

# Versions in the header end at a space or the border: a header cut short gives none.
_HEADER_SMI = re.compile(r"NVIDIA-SMI\s+([0-9][0-9.]*)(?=\s|\|)")
_HEADER_DRIVER = re.compile(r"Driver Version:\s*([0-9][0-9.]*)(?=\s|\|)")
_HEADER_CUDA = re.compile(r"CUDA Version:\s*([0-9]+\.[0-9]+|N/A)(?=\s|\|)")
# First cell of a GPU row: index, name, persistence mode or Windows driver model.
# A name cut short with "..." may touch the mode: "NVIDIA GeForce ...Off".
_GPU_CELL = re.compile(r"^\s*(\d+)\s+(\S.*?)(?:\s+|(?<=\.\.\.))(On|Off|WDDM|TCC|MCDM|N/A)\s*$")
_MEMORY_CELL = re.compile(r"(\d+)\s*MiB\s*/\s*(\d+)\s*MiB")
_END_OF_GPUS = re.compile(r"MIG devices:|Processes:")
_VERSION = re.compile(r"^\d+(\.\d+)+$")
_MEMORY_VALUE = re.compile(r"^(\d+)(\s*MiB)?$")
_FAILURE_WORDS = re.compile(r"NVML|NVIDIA|nvidia-smi|driver|No devices|GPU|not a valid field", re.IGNORECASE)


def parse_nvidia_smi(text, query_fields=None):
    """Parse any nvidia-smi output; see the module docstring. Never raises.

    query_fields: the --query-gpu fields of a headerless CSV, when they are
    not QUERY_FIELDS or one of its leading parts.
    """
    try:
        return _parse(text, query_fields)
    except Exception as exc:  # a parser bug must not stop the check
        return _result("unrecognized", reason="could not parse: %s: %s" % (type(exc).__name__, exc))


def _result(fmt, gpus=None, driver=None, cuda=None, message=None, reason=None):
    return {"format": fmt, "gpus": gpus or [], "driver_version": driver, "cuda_version": cuda,
            "message": message, "reason": reason}


def _parse(text, query_fields):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return _result("unrecognized", reason="expected text, got %s" % type(text).__name__)
    lines = _clean_lines(text)
    if not any(line.strip() for line in lines):
        return _result("unrecognized", reason="the output is empty")
    if any("|" in line for line in lines) and (
            any(_HEADER_DRIVER.search(line) for line in lines) or any(_MEMORY_CELL.search(line) for line in lines)):
        return _parse_table(lines)
    csv = _parse_csv([line for line in lines if line.strip()], query_fields)
    if csv is not None:
        return csv
    message = "\n".join(line.strip() for line in lines if line.strip())
    if len(lines) <= 20 and _FAILURE_WORDS.search(message):
        return _result("failure", message=message, reason="nvidia-smi printed an error instead of GPUs")
    return _result("unrecognized", reason="neither the nvidia-smi table, its CSV output nor an error message")


def _clean_lines(text):
    text = text.replace("\ufeff", "").replace("```", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- the plain table -------------------------------------------------------------


def _parse_table(lines):
    driver = cuda = smi = None
    gpus = []
    current = None      # the GPU whose block the next lines belong to
    block_line = 0      # lines seen in that block
    for line in lines:
        if smi is None and _HEADER_SMI.search(line):
            smi = _HEADER_SMI.search(line).group(1)
        if driver is None and _HEADER_DRIVER.search(line):
            driver = _HEADER_DRIVER.search(line).group(1)
            found = _HEADER_CUDA.search(line)
            cuda = found.group(1) if found and found.group(1) != "N/A" else None
            continue
        if _END_OF_GPUS.search(line):
            break
        cells = _cells(line)
        if not cells:
            current = None
            continue
        # A GPU row has several cells; a process row (whose header may be missing) has one.
        row = _GPU_CELL.match(cells[0]) if len(cells) >= 2 else None
        if row:
            name = row.group(2).strip()
            current = new_gpu("nvidia", name, "nvidia-smi")
            current["name_truncated"] = name.endswith("...")
            gpus.append(current)
            block_line = 0
            continue
        if current is None:
            continue
        block_line += 1
        memory = _MEMORY_CELL.search(line)
        if memory and current["vram_bytes"] is None:
            current["vram_bytes"] = _mib(memory.group(2))
        elif block_line == 2 and len(cells) >= 3:
            current["mig"] = {"Enabled": True, "Disabled": False}.get(cells[-1].strip())
    for gpu in gpus:
        gpu["driver_version"] = driver
        gpu["cuda_version"] = cuda
    result = _result("table", gpus, driver, cuda)
    result["smi_version"] = smi
    if not gpus:
        result["reason"] = "the table lists no GPU"
    elif driver is None:
        result["reason"] = "the table has no driver version header"
    return result


def _cells(line):
    """The cells of a table row (text between '|'), or [] for a border or other line."""
    stripped = line.strip()
    if not stripped.startswith("|") or set(stripped) <= set("|+-=: "):
        return []
    return stripped.strip("|").split("|")


# --- CSV from --query-gpu -----------------------------------------------------------


def _parse_csv(lines, query_fields=None):
    if not lines or any("|" in line for line in lines):
        return None
    header = [_field_name(cell) for cell in lines[0].split(",")]
    memory_in_mib = True
    if "name" in header and "memory.total" in header:
        rows = [_split_with_header(line, header) for line in lines[1:]
                if [_field_name(cell) for cell in line.split(",")] != header]   # a header printed twice
        unit = re.search(r"\[(.*)\]", lines[0].split(",")[header.index("memory.total")])
        memory_in_mib = unit is None or unit.group(1).strip() == "MiB"
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
    if not memory_in_mib:   # nvidia-smi prints MiB; a number in another unit is not read as MiB
        for gpu in gpus:
            gpu["vram_bytes"] = None
    driver = gpus[0]["driver_version"] if gpus else None
    result = _result("csv", gpus, driver, None)
    if not gpus:
        result["reason"] = "the CSV lists no GPU"
    elif not memory_in_mib:
        result["reason"] = "memory.total is not in MiB"
    return result


def _field_name(cell):
    """'memory.total [MiB]' -> 'memory.total'."""
    return re.sub(r"\s*\[.*\]\s*$", "", cell.strip())


def _split_with_header(line, header):
    values = line.split(",")
    extra = len(values) - len(header)
    if extra < 0:
        return None
    name_at = header.index("name")
    if extra:   # commas inside the name
        values[name_at:name_at + extra + 1] = [",".join(values[name_at:name_at + extra + 1])]
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
    driver = row.get("driver_version", "")
    gpu["driver_version"] = driver if _VERSION.match(driver) else None
    capability = row.get("compute_cap", "")
    gpu["compute_capability"] = capability if _VERSION.match(capability) else None
    gpu["mig"] = {"Enabled": True, "Disabled": False}.get(row.get("mig.mode.current", ""))
    return gpu


def _mib(digits):
    """Bytes in a MiB figure, or None for a figure no GPU has."""
    if len(digits) > 12:
        return None
    return plausible_bytes(int(digits) * MIB)
