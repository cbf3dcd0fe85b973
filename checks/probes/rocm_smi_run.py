"""rocm-smi: run the one found on this machine, or read a saved output of it.

Imported by checks/probes/amd.py only where there is one of them: a machine
without rocm-smi never compiles this module or rocm-smi's parser.
"""

from ..facts import clean_facts, new_facts, new_gpu
from ..parsers.rocm_smi import parse_driver_json, parse_product_json, parse_rocm_smi, parse_vram_json
from .amd import DRIVER, PRODUCT, TIMEOUT, VRAM
from .context import mark_unknown, short_message


def from_tool(section, facts, context, path):
    """The AMD GPUs the rocm-smi at `path` lists (filling the rocm_smi section), or []."""
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


ROCM_VERSION_COMMAND = "cat /opt/rocm/.info/version"


def facts_from_output(text):
    """Facts for a Linux machine known only by a saved or pasted rocm-smi output.

    What the output cannot tell is unknown, with the command that would tell.
    """
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
