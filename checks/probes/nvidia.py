"""The nvidia_smi section, NVIDIA entries of gpus, and gpu_hardware from the PCI bus."""
import re

from .context import mark_unknown, short_message

NVIDIA_PCI_VENDOR = "0x10de"
AMD_PCI_VENDOR = "0x1002"
WSL_NVIDIA_SMI = "/usr/lib/wsl/lib/nvidia-smi"
_REJECTED_FIELD = re.compile(r'Field "([^"]+)" is not a valid field to query')


def _parsers():
    # Imported on first use: the built check.py compiles its modules on every
    # run, so a machine without this tool never pays for its parser.
    from ..parsers import nvidia_smi
    return nvidia_smi


def probe_nvidia(facts, context, nvidia_smi_text=None):
    section = facts["nvidia_smi"]
    if nvidia_smi_text is not None:
        _from_text(facts, _parsers().parse_nvidia_smi(nvidia_smi_text))
        return
    path = find_nvidia_smi(context)
    section["path"] = path
    if path is None:
        section["status"] = "missing"
        return
    query, fields = _query(context, path)
    section["exit_code"] = query["exit_code"]
    if query["status"] != "ok":
        section["status"] = STATUSES.get(query["status"], "failed")
        section["message"] = _tool_message(query)
        if query["status"] == "unavailable":
            section["exit_code"] = None
            mark_unknown(facts, "nvidia_smi.status", _cannot_tell(query))
            mark_unknown(facts, "gpus", _cannot_tell(query))     # it would have listed the GPUs
        return
    parsed = _parsers().parse_nvidia_smi(query["stdout"], query_fields=fields)
    if not parsed["gpus"]:
        section["status"] = "failed"
        section["message"] = parsed["message"] or parsed["reason"]
        return
    section["status"] = "ok"
    # Only the plain table prints the CUDA version the driver supports.
    table_run = context.run([path], timeout=8)
    if table_run["status"] == "unavailable":
        section["status"] = "unavailable"
        section["message"] = table_run["message"]
        mark_unknown(facts, "nvidia_smi.status", _cannot_tell(table_run))
    table = _parsers().parse_nvidia_smi(table_run["stdout"])
    for gpu in parsed["gpus"]:
        gpu["cuda_version"] = table["cuda_version"]
        facts["gpus"].append(gpu)
    if table["cuda_version"] is None:
        mark_unknown(facts, "nvidia_smi.cuda_version", "the plain nvidia-smi output showed no CUDA version")
    if "compute_cap" not in fields:
        mark_unknown(facts, "gpus.compute_capability", "this driver's nvidia-smi cannot report compute_cap")


# run_tool's statuses -> the nvidia_smi section's; "unavailable": the checker could not run it.
STATUSES = {"timeout": "timeout", "missing": "missing", "unavailable": "unavailable"}


def _cannot_tell(result):
    return "Can't tell: %s." % result["message"].rstrip(".")


def find_nvidia_smi(context):
    found = context.which("nvidia-smi")
    if found:
        return found
    candidates = []
    if context.system == "Windows":
        if context.env.get("SYSTEMROOT"):
            candidates.append(context.env["SYSTEMROOT"] + "\\System32\\nvidia-smi.exe")
        if context.env.get("PROGRAMFILES"):
            candidates.append(context.env["PROGRAMFILES"] + "\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe")
        for candidate in candidates:
            if context.exists(candidate):
                return candidate
    elif context.exists(WSL_NVIDIA_SMI):
        return context.path(WSL_NVIDIA_SMI)
    return None


def _query(context, path):
    """Run --query-gpu, dropping the fields an older driver rejects."""
    fields = list(_parsers().QUERY_FIELDS)
    while True:
        result = context.run([path, "--query-gpu=" + ",".join(fields),
                              "--format=csv,noheader,nounits"], timeout=8)
        rejected = _REJECTED_FIELD.search(result["stdout"] + result["stderr"])
        if result["status"] == "ok" or not rejected or rejected.group(1) not in fields[3:]:
            return result, fields
        fields.remove(rejected.group(1))


def _tool_message(result):
    text = "\n".join(part.strip() for part in (result["stdout"], result["stderr"]) if part.strip())
    if result["status"] == "error" and result["message"]:   # stopped: say why before what it printed
        text = result["message"] + ("\n" + text if text else "")
    return short_message(text or result["message"])


def _from_text(facts, parsed):
    section = facts["nvidia_smi"]
    if parsed["gpus"]:
        section["status"] = "ok"
        facts["gpus"].extend(parsed["gpus"])
        facts["gpu_hardware"]["nvidia"] = True
    else:
        section["status"] = "failed"
        section["message"] = parsed["message"] or parsed["reason"]


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
            mark_unknown(facts, "gpu_hardware." + vendor,
                         "%d PCI device file(s) under /sys/bus/pci/devices could not be read" % unreadable)
        else:
            hardware[vendor] = False
