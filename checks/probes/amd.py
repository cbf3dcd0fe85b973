"""AMD GPUs on Linux: rocm-smi where installed, else the amdgpu driver's sysfs files."""
import re

from ..facts import new_gpu
from ..units import plausible_bytes, whole_number
from .context import mark_unknown, short_message

AMD_PCI_VENDOR = "0x1002"
_CARD = re.compile(r"^card\d+$")


def probe_amd(facts, context):
    if context.system != "Linux":
        return
    section = facts["rocm_smi"]
    rocm_version = (context.read("/opt/rocm/.info/version") or "").strip() or None
    section["rocm_version"] = rocm_version
    path = context.which("rocm-smi")
    section["path"] = path
    gpus = []
    if path is None:
        section["status"] = "missing"
    else:
        gpus = _from_rocm_smi(section, facts, context, path)
    if not gpus:
        gpus = _from_sysfs(context)
    driver = section["driver_version"] or (context.read("/sys/module/amdgpu/version") or "").strip() or None
    section["driver_version"] = section["driver_version"] or driver
    for gpu in gpus:
        gpu["driver_version"] = driver
        gpu["rocm_version"] = rocm_version
        facts["gpus"].append(gpu)
    if gpus:
        facts["gpu_hardware"]["amd"] = True
        if rocm_version is None:
            mark_unknown(facts, "rocm_smi.rocm_version", "/opt/rocm/.info/version is missing")


def _from_rocm_smi(section, facts, context, path):
    # Imported here: a machine without rocm-smi never compiles its parser.
    from ..parsers.rocm_smi import parse_driver_json, parse_product_json, parse_vram_json

    vram_run = context.run([path, "--showmeminfo", "vram", "--json"], timeout=8)
    if vram_run["status"] == "unavailable":
        mark_unknown(facts, "gpus", "Can't tell: %s." % vram_run["message"].rstrip("."))
        return _unavailable(section, facts, vram_run)
    if vram_run["status"] != "ok":
        section["status"] = "timeout" if vram_run["status"] == "timeout" else "failed"
        section["message"] = short_message((vram_run["stdout"] + vram_run["stderr"]).strip() or vram_run["message"])
        return []
    vram = parse_vram_json(vram_run["stdout"])
    if vram["reason"]:
        section["status"] = "failed"
        section["message"] = vram["reason"]
        return []
    section["status"] = "ok"
    names = parse_product_json(context.run([path, "--showproductname", "--json"], timeout=8)["stdout"])["cards"]
    driver_run = context.run([path, "--showdriverversion", "--json"], timeout=8)
    if driver_run["status"] == "unavailable":
        _unavailable(section, facts, driver_run)
    driver = parse_driver_json(driver_run["stdout"])
    section["driver_version"] = driver["driver_version"]
    gpus = []
    for card, size in vram["cards"].items():
        gpu = new_gpu("amd", names.get(card) or "AMD GPU (%s)" % card, "rocm-smi")
        gpu["vram_bytes"] = size
        gpus.append(gpu)
    return gpus


def _unavailable(section, facts, result):
    """The checker could not run rocm-smi (a limit of its own): can't tell, not "failed"."""
    section["status"] = "unavailable"
    section["message"] = result["message"]
    mark_unknown(facts, "rocm_smi.status", "Can't tell: %s." % result["message"].rstrip("."))
    return []


def _from_sysfs(context):
    gpus = []
    for card in context.listdir("/sys/class/drm"):
        if not _CARD.match(card):
            continue
        device = "/sys/class/drm/%s/device" % card
        if (context.read(device + "/vendor") or "").strip().lower() != AMD_PCI_VENDOR:
            continue
        total = (context.read(device + "/mem_info_vram_total") or "").strip()
        model = (context.read(device + "/device") or "").strip() or "unknown"
        gpu = new_gpu("amd", "AMD GPU (PCI device %s)" % model, "sysfs")
        gpu["vram_bytes"] = plausible_bytes(whole_number(total)) or None
        gpus.append(gpu)
    return gpus
