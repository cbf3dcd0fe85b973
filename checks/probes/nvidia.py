"""The nvidia_smi section, NVIDIA entries of gpus, and gpu_hardware from the PCI bus."""

import re

from .context import mark_unknown, short_message

NVIDIA_PCI_VENDOR = "0x10de"
AMD_PCI_VENDOR = "0x1002"
WSL_NVIDIA_SMI = "/usr/lib/wsl/lib/nvidia-smi"
TIMEOUT = 8
# Compiled on first use (re caches it): a machine without nvidia-smi never compiles it.
_REJECTED_FIELD = r'Field "([^"]+)" is not a valid field to query'


def _parsers():
    # Imported on first use: the built check.py compiles its modules on every
    # run, so a machine without this tool never pays for its parser.
    from ..parsers import nvidia_smi

    return nvidia_smi


def start_nvidia(context, nvidia_smi_text=None):
    """Begin both calls probe_nvidia makes, side by side: the query and the plain table.

    The table is only read once the query found a GPU, but asking for both at
    once costs one call's wait, not two.
    """
    if nvidia_smi_text is not None:
        return
    path = find_nvidia_smi(context)
    if path is not None:
        context.start(_query_args(path, _parsers().QUERY_FIELDS), timeout=TIMEOUT)
        context.start([path], timeout=TIMEOUT)


def probe_nvidia(facts, context, nvidia_smi_text=None):
    section = facts["nvidia_smi"]
    if nvidia_smi_text is not None:
        _from_text(facts, _parsers().parse_nvidia_smi(nvidia_smi_text))
        return
    path = find_nvidia_smi(context)
    section["path"] = path
    if path is None:
        section["status"] = "missing"
        section["failure"] = "not-installed"
        return
    query, fields = _query(context, path)
    section["exit_code"] = query["exit_code"]
    if query["status"] != "ok":
        section["status"] = STATUSES.get(query["status"], "failed")
        section["message"] = _tool_message(query)
        if query["status"] == "unavailable":
            section["exit_code"] = None
            mark_unknown(facts, "nvidia_smi.status", _cannot_tell(query))
            mark_unknown(facts, "gpus", _cannot_tell(query))  # it would have listed the GPUs
        elif query["status"] == "missing":
            section["failure"] = "not-installed"
        elif query["status"] != "timeout":
            section["failure"] = _parsers().classify_failure(
                query["stdout"] + "\n" + query["stderr"], query["exit_code"]
            )
        return
    parsed = _parsers().parse_nvidia_smi(query["stdout"], query_fields=fields)
    if not parsed["gpus"]:
        section["status"] = "failed"
        section["message"] = parsed["message"] or parsed["reason"]
        section["failure"] = parsed["failure"]
        return
    section["status"] = "ok"
    # Only the plain table (or -q) prints the CUDA version the driver supports.
    table_run = context.run([path], timeout=TIMEOUT)
    if table_run["status"] == "unavailable":
        section["status"] = "unavailable"
        section["message"] = table_run["message"]
        mark_unknown(facts, "nvidia_smi.status", _cannot_tell(table_run))
    cuda, why = _cuda_version(context, path, table_run)
    for gpu in parsed["gpus"]:
        gpu["cuda_version"] = cuda
        facts["gpus"].append(gpu)
    if cuda is None:
        mark_unknown(facts, "nvidia_smi.cuda_version", why)
    if "compute_cap" not in fields:
        mark_unknown(facts, "gpus.compute_capability", "this driver's nvidia-smi cannot report compute_cap")


# run_tool's statuses -> the nvidia_smi section's; "unavailable": the checker could not run it.
STATUSES = {"timeout": "timeout", "missing": "missing", "unavailable": "unavailable"}


def _cannot_tell(result):
    return "Can't tell: %s." % result["message"].rstrip(".")


def _cuda_version(context, path, table_run):
    """(the CUDA version the driver supports, None) or (None, why): the table's banner, else `nvidia-smi -q`."""
    parsers = _parsers()
    table = parsers.parse_nvidia_smi(table_run["stdout"])
    if table["cuda_version"]:
        return table["cuda_version"], None
    query = context.run([path, "-q"], timeout=8)
    cuda = parsers.cuda_from_query(query["stdout"]) if query["status"] == "ok" else None
    if cuda:
        return cuda, None
    if table_run["status"] == "unavailable" or query["status"] == "unavailable":
        return None, _cannot_tell(table_run if table_run["status"] == "unavailable" else query)
    if table["cuda_note"] == "na":
        return None, (
            "nvidia-smi shows \"CUDA Version: N/A\": this driver reports no CUDA version "
            "(seen on VM hosts and on systems without the CUDA driver library)"
        )
    return None, "neither nvidia-smi's table nor nvidia-smi -q shows a CUDA version"


def find_nvidia_smi(context):
    """The nvidia-smi to run, or None.

    On Windows the driver's own copies come first (System32, where current
    drivers put it, then NVSMI under Program Files), and PATH only after
    them, through the lookup that never takes the current folder.
    """
    if context.system == "Windows":
        candidates = []
        system_root = context.windows_folder("SYSTEMROOT") or context.windows_folder("WINDIR") or "C:\\Windows"
        candidates.append(system_root + "\\System32\\nvidia-smi.exe")
        program_files = context.windows_folder("PROGRAMFILES") or context.windows_folder("PROGRAMW6432")
        if program_files:
            candidates.append(program_files + "\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe")
        for candidate in candidates:
            if context.is_file(candidate):
                return candidate
        return context.which("nvidia-smi")
    found = context.which("nvidia-smi")
    if found:
        return found
    if context.exists(WSL_NVIDIA_SMI):
        return context.path(WSL_NVIDIA_SMI)
    return None


def _query(context, path):
    """Run --query-gpu, dropping the fields an older driver rejects."""
    fields = list(_parsers().QUERY_FIELDS)
    while True:
        result = context.run(_query_args(path, fields), timeout=TIMEOUT)
        rejected = re.search(_REJECTED_FIELD, result["stdout"] + result["stderr"])
        if result["status"] == "ok" or not rejected or rejected.group(1) not in fields[3:]:
            return result, fields
        fields.remove(rejected.group(1))


def _query_args(path, fields):
    return [path, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"]


def _tool_message(result):
    text = "\n".join(part.strip() for part in (result["stdout"], result["stderr"]) if part.strip())
    if result["status"] == "error" and result["message"]:  # stopped: say why before what it printed
        text = result["message"] + ("\n" + text if text else "")
    return short_message(text or result["message"])


# Why a saved output shows no CUDA version, by the parser's cuda_note.
_NO_CUDA_IN_OUTPUT = {
    "csv": "the CUDA version is not in this output (a --query-gpu CSV has no CUDA field): "
    "nvidia-smi shows it in its table's banner",
    "na": "nvidia-smi shows \"CUDA Version: N/A\": this driver reports no CUDA version "
    "(seen on VM hosts and on systems without the CUDA driver library)",
    "no-field": "this nvidia-smi output has no CUDA version (drivers before R410 print none): "
    "nvidia-smi -q may show it",
    "no-banner": "the table's banner, which holds the driver and CUDA versions, is not in this output: "
    "save the whole nvidia-smi output",
}


def _from_text(facts, parsed):
    section = facts["nvidia_smi"]
    if parsed["gpus"]:
        section["status"] = "ok"
        facts["gpus"].extend(parsed["gpus"])
        facts["gpu_hardware"]["nvidia"] = True
        if parsed["cuda_version"] is None:
            mark_unknown(
                facts,
                "nvidia_smi.cuda_version",
                _NO_CUDA_IN_OUTPUT.get(parsed["cuda_note"], "this output shows no CUDA version"),
            )
        if parsed["driver_version"] is None:
            mark_unknown(facts, "nvidia_smi.driver_version", parsed["reason"] or "this output shows no driver version")
        return
    section["failure"] = parsed["failure"]
    section["message"] = parsed["message"] or parsed["reason"]
    section["status"] = "missing" if parsed["failure"] == "not-installed" else "failed"


def probe_pci(facts, context):
    """Which GPU makers sit on the PCI bus (Linux), driver or not."""
    hardware = facts["gpu_hardware"]
    if any(gpu["vendor"] == "nvidia" for gpu in facts["gpus"]):
        hardware["nvidia"] = True
    if context.system != "Linux":
        for vendor in ("nvidia", "amd"):
            if hardware[vendor] is None:
                mark_unknown(facts, "gpu_hardware." + vendor, "the PCI bus is only read on Linux")
        return
    devices = context.listdir("/sys/bus/pci/devices")
    if not devices:
        mark_unknown(facts, "gpu_hardware", "/sys/bus/pci/devices is unreadable")
        return
    vendors = set()
    unreadable = 0
    for device in devices:
        base = "/sys/bus/pci/devices/" + device
        device_class = context.read(base + "/class")
        if device_class is None:
            unreadable += 1
        elif device_class.strip().startswith("0x03"):
            vendor = context.read(base + "/vendor")
            if vendor is None:
                unreadable += 1
            vendors.add((vendor or "").strip().lower())
    for vendor, pci_id in (("nvidia", NVIDIA_PCI_VENDOR), ("amd", AMD_PCI_VENDOR)):
        if hardware[vendor] or pci_id in vendors:
            hardware[vendor] = True
        elif unreadable:
            # A device not read (the checker out of open files, say) may be that GPU: not "absent".
            mark_unknown(
                facts,
                "gpu_hardware." + vendor,
                "%d PCI device file(s) under /sys/bus/pci/devices could not be read" % unreadable,
            )
        else:
            hardware[vendor] = False
