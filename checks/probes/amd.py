"""AMD GPUs on Linux: rocm-smi where installed, else the amdgpu driver's sysfs files.

Running rocm-smi and reading its output is checks/probes/rocm_smi_run.py,
imported only where there is a rocm-smi or a saved output of it.
"""

import re

from ..facts import new_gpu
from ..units import plausible_bytes, whole_number
from .context import mark_unknown

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
        from .rocm_smi_run import from_tool  # here: a machine without rocm-smi never compiles it

        gpus = from_tool(section, facts, context, path)
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


def facts_from_rocm_smi(text):
    """Facts for a Linux machine known only by a saved or pasted rocm-smi output (see rocm_smi_run)."""
    from .rocm_smi_run import facts_from_output

    return facts_from_output(text)
