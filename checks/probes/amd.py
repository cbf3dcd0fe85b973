"""AMD GPUs on Linux: rocm-smi where installed, else the amdgpu driver's sysfs files."""

import re

from ..facts import new_gpu
from ..units import plausible_bytes, whole_number
from .context import mark_unknown, short_message

AMD_PCI_VENDOR = "0x1002"
_CARD = re.compile(r"^card\d+$")
TIMEOUT = 8
VRAM = ["--showmeminfo", "vram", "--json"]
PRODUCT = ["--showproductname", "--json"]
DRIVER = ["--showdriverversion", "--json"]


def start_amd(context):
    """Begin rocm-smi's three calls side by side (names and driver are only read once VRAM is)."""
    if context.system != "Linux":
        return
    path = context.which("rocm-smi")
    if path is not None:
        for options in (VRAM, PRODUCT, DRIVER):
            context.start([path] + options, timeout=TIMEOUT)


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

    vram_run = context.run([path] + VRAM, timeout=TIMEOUT)
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
    names = parse_product_json(context.run([path] + PRODUCT, timeout=TIMEOUT)["stdout"])["cards"]
    driver_run = context.run([path] + DRIVER, timeout=TIMEOUT)
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


ROCM_VERSION_COMMAND = "cat /opt/rocm/.info/version"


def facts_from_rocm_smi(text):
    """Facts for a Linux machine known only by a saved or pasted rocm-smi output.

    What the output cannot tell is unknown, with the command that would tell.
    """
    from ..facts import clean_facts, new_facts
    from ..parsers.rocm_smi import parse_rocm_smi

    facts = new_facts("rocm-smi")
    parsed = parse_rocm_smi(text)
    section = facts["rocm_smi"]
    facts["os"]["system"] = "Linux"  # rocm-smi, like ROCm, runs on Linux only
    unknown = facts["unknown"]
    unknown["nvidia_smi.status"] = "A rocm-smi output does not show NVIDIA GPUs or their driver: run nvidia-smi."
    unknown["gpu_hardware.nvidia"] = unknown["nvidia_smi.status"]
    if parsed["format"] == "failure":
        section["status"] = "failed"
        section["message"] = short_message(parsed["message"])
        facts["gpu_hardware"]["amd"] = True  # rocm-smi was run for an AMD GPU whose driver does not answer
        return clean_facts(facts)
    section["status"] = "ok"
    section["driver_version"] = parsed["driver_version"]
    if parsed["driver_version"] is None:
        unknown["rocm_smi.driver_version"] = (
            "This rocm-smi output does not show the driver version: run rocm-smi --showdriverversion."
        )
    unknown["rocm_smi.rocm_version"] = "rocm-smi does not show the ROCm version: run %s." % ROCM_VERSION_COMMAND
    for card in parsed["cards"]:
        if card["name"]:
            name = card["name"]
        elif card["device_id"]:
            name = "AMD GPU (device %s)" % card["device_id"]
        else:
            name = "AMD GPU %d" % card["card"]
        gpu = new_gpu("amd", name, "rocm-smi")
        gpu["name_truncated"] = bool(card["name_truncated"])
        gpu["name_exact"] = bool(card["name"]) and not card["name_truncated"]  # not a stand-in name
        gpu["vram_bytes"] = card["vram_bytes"]
        gpu["driver_version"] = parsed["driver_version"]
        facts["gpus"].append(gpu)
        if card["vram_bytes"] is None:
            unknown["gpus[%d].vram_bytes" % (len(facts["gpus"]) - 1)] = (
                "This rocm-smi output does not show %s's memory: run rocm-smi --showmeminfo vram." % name
            )
    if facts["gpus"]:
        facts["gpu_hardware"]["amd"] = True
    else:
        unknown["gpus"] = "This rocm-smi output lists no GPU: run rocm-smi --showproductname --showmeminfo vram."
    return clean_facts(facts)  # names come from pasted text: no control or bidi characters pass
