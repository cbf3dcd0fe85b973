"""The check as it runs in the reader's browser (under Pyodide).

The page gathers what the browser will say about the machine (platform, the
WebGL renderer, WebGPU adapter info) and calls `run_browser_check`; the paste
box calls `run_paste`. Both evaluate with the same rules and code as the
script and return {"report": report or None, "html": str, "error": str or None}.
Both take the release to judge against (the page's chooser; None: the
default), as check.py --release does.

A browser cannot see RAM, VRAM, disks, Python or drivers: those facts stay
None with a reason, and the evaluation says "can't tell" with the script's
command instead of guessing.
"""

import json
import re

from . import rules_source
from .evaluate import evaluate
from .evaluate.context import CANT_TELL_FROM_BROWSER as CANT_TELL
from .facts import clean_facts, new_facts, new_gpu
from .parsers.gpu_strings import gpu_from_browser
from .parsers.recognize import expected, recognize
from .render.html import render_error, render_report
from .saved import facts_from_saved
from .site_links import script_command

# What a browser has no API for, by fact path.
_BROWSER_BLIND = {
    "gpus.vram_bytes": "%s: browsers do not say how much memory the GPU has." % CANT_TELL,
    "python.version": "%s: a web page cannot see which Python is installed." % CANT_TELL,
    "disk.free_bytes": "%s: a web page cannot see free disk space." % CANT_TELL,
    "disk.rotational": "%s: a web page cannot see what kind of disk you have." % CANT_TELL,
    "temp.is_tmpfs": "%s: a web page cannot see the temporary directory." % CANT_TELL,
    "temp.free_bytes": "%s: a web page cannot see the temporary directory." % CANT_TELL,
    "nvidia_smi.status": "%s: a web page cannot run nvidia-smi to see the driver and CUDA versions." % CANT_TELL,
    "rocm_smi.status": "%s: a web page cannot run rocm-smi to see the driver and ROCm versions." % CANT_TELL,
    "os.release": "%s: browsers hide the exact OS version." % CANT_TELL,
}

# A report nests 5 deep; Pyodide's stack gives out near 3,000 (before Python's recursion limit).
MAX_JSON_DEPTH = 64


def facts_from_browser(info):
    """Facts with origin "browser" from what the page gathered (see the module docstring).

    info = {"userAgent": str, "platform": str,
            "uaData": {"platform", "architecture", "bitness", "platformVersion", "mobile"} or None,
            "webgl": {"renderer", "vendor"} or None, "webgpu": {"vendor", "architecture", ...} or None,
            "deviceMemory": number or None, "hardwareConcurrency": number or None}
    """
    info = info if isinstance(info, dict) else {}
    facts = new_facts("browser")
    unknown = facts["unknown"]
    unknown.update(_BROWSER_BLIND)

    ua_data = info.get("uaData") if isinstance(info.get("uaData"), dict) else {}
    user_agent = _text(info.get("userAgent"))
    webgl = info.get("webgl") if isinstance(info.get("webgl"), dict) else None
    webgpu = info.get("webgpu") if isinstance(info.get("webgpu"), dict) else None

    system, why_no_system = _system(ua_data, user_agent)
    facts["os"]["system"] = system
    if why_no_system:
        unknown["os.system"] = why_no_system

    gpu, note = gpu_from_browser(webgl, webgpu)
    name_exact = bool(gpu and gpu["name_exact"])
    if gpu is not None and gpu["vendor"] == "apple" and not name_exact:
        # Safari calls every Mac's GPU "Apple GPU", Intel Macs included.
        gpu, note = None, "%s: the browser calls the GPU only \"Apple GPU\", which every Mac reports." % CANT_TELL
    if gpu is None:
        unknown["gpus"] = _sentence(note if note.startswith(CANT_TELL) else "%s: %s" % (CANT_TELL, note))
    else:
        source = "webgl" if webgl and gpu["name"] and gpu["name"] in _text(webgl.get("renderer")) else "webgpu"
        facts["gpus"].append(new_gpu(gpu["vendor"], gpu["name"], source))
        facts["gpus"][-1]["name_exact"] = name_exact

    apple_chip = bool(gpu and gpu["vendor"] == "apple" and re.match(r"Apple M\d", gpu["name"]))
    facts["os"]["machine"] = _machine(system, ua_data, user_agent, apple_chip)
    if facts["os"]["machine"] is None:
        unknown["os.machine"] = "%s: the browser does not say which processor this is." % CANT_TELL
    if system == "Darwin":
        facts["os"]["apple_silicon"] = True if apple_chip or facts["os"]["machine"] == "arm64" else None

    memory = _number(info.get("deviceMemory"))
    unknown["ram.total_bytes"] = _ram_reason(memory)
    facts["browser"] = {
        "user_agent": user_agent,
        "platform": _text(ua_data.get("platform")) or _text(info.get("platform")) or None,
        "architecture": _text(ua_data.get("architecture")) or None,
        "bitness": _text(ua_data.get("bitness")) or None,
        "webgl_renderer": _text(webgl.get("renderer")) or None if webgl else None,
        "webgl_vendor": _text(webgl.get("vendor")) or None if webgl else None,
        "webgpu": dict((key, _text(webgpu.get(key))) for key in ("vendor", "architecture", "device", "description"))
        if webgpu
        else None,
        "device_memory_gb": memory,
        "hardware_concurrency": _number(info.get("hardwareConcurrency")),
        "gpu_name_exact": name_exact,
        "gpu_note": note,
    }
    return clean_facts(facts)


def run_browser_check(info_json, site_url, release=None):
    """Evaluate this browser's machine: info as JSON text (or a dict) -> result dict."""
    try:
        info = json.loads(info_json) if isinstance(info_json, str) and not _too_deep(info_json) else info_json
    except (ValueError, RecursionError):
        info = {}
    return _evaluated(facts_from_browser(info), site_url, release)


def run_paste(text, site_url, release=None):
    """Evaluate pasted text: check.py's --json report or facts, or an nvidia-smi, rocm-smi or system_profiler output.

    What the text is, is decided by recognising it (parsers/recognize.py);
    anything not recognised is refused with one sentence, and gets no verdict.
    """
    text = text if isinstance(text, str) else ""
    if not text.strip():
        return _refused("%s: the box is empty." % expected(), site_url)
    if text.lstrip()[:1] in "{[" and _too_deep(text):  # before any parser recurses into it
        return _refused(
            "%s; this JSON is nested more than %d deep, which no report is." % (expected(), MAX_JSON_DEPTH), site_url
        )
    kind = recognize(text)
    if kind == "json":
        try:
            obj = json.loads(text.strip())
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            return _refused("%s; this starts like JSON but is not valid JSON (%s)." % (expected(), exc), site_url)
        try:
            facts = facts_from_saved(obj)
        except ValueError as exc:
            return _refused("%s; this JSON is not one (%s)." % (expected(), exc), site_url)
        return _evaluated(facts, site_url, release)
    if kind == "rocm-smi":
        return _evaluated(clean_facts(facts_from_rocm_smi(text)), site_url, release)
    if kind == "system-profiler":
        return _evaluated(clean_facts(facts_from_system_profiler(text)), site_url, release)
    if kind == "nvidia-smi":
        return _evaluated(facts_from_nvidia_smi(text), site_url, release)
    return _refused("%s; this is none of them." % expected(), site_url)


def _too_deep(text, limit=MAX_JSON_DEPTH):
    """Whether JSON text opens more than `limit` arrays/objects at once: checked before parsing, in one pass."""
    depth = 0
    for match in _JSON_STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


# Brackets, and strings (skipped whole, escapes included): a bracket inside a string is text.
_JSON_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def facts_from_nvidia_smi(text):
    """Facts for a machine known only by its nvidia-smi output, read as check.py --nvidia-smi reads it."""
    from .probes.nvidia import probe_nvidia  # imported here: the button's check never needs the probes

    facts = new_facts("nvidia-smi")
    probe_nvidia(facts, None, text)
    if not facts["gpus"]:
        facts["unknown"]["gpus"] = (
            "The pasted nvidia-smi output lists no GPU, so which GPUs this machine has "
            "can't be told from it: run the script for the full check."
        )
    return clean_facts(facts)


def facts_from_rocm_smi(text):
    """Facts for a machine known only by its rocm-smi output, read as check.py --rocm-smi reads it."""
    from .probes.amd import facts_from_rocm_smi as from_text

    return from_text(text)


def facts_from_system_profiler(text):
    """Facts for a Mac known only by its system_profiler output, read as check.py --system-profiler reads it."""
    from .probes.apple import facts_from_system_profiler as from_text

    return from_text(text)


def _evaluated(facts, site_url, release=None):
    try:
        rules, _ = rules_source.load(None if release in (None, "") else str(release))
    except rules_source.UnknownRelease as exc:
        return _refused("Release %s: %s." % (release, exc), site_url)
    report = evaluate(facts, rules, site_url)
    system = (facts.get("os") or {}).get("system")
    return {
        "report": report,
        "html": render_report(report, script_command(site_url, system), terminal_name(system)),
        "error": None,
    }


def _refused(sentence, site_url):
    return {"report": None, "html": render_error(sentence, script_command(site_url)), "error": sentence}


def terminal_name(system):
    """Where the reader types the full check's command."""
    return "PowerShell" if system == "Windows" else "a terminal"


def _system(ua_data, user_agent):
    """(platform.system() name or None, why not)."""
    platform = _text(ua_data.get("platform")).lower()
    ua = user_agent.lower()
    if platform in ("android", "ios") or "android" in ua or "iphone" in ua or "ipad" in ua:
        return None, "This is a phone or tablet: Invoke runs on Windows, macOS and Linux computers."
    if platform == "chrome os" or "cros" in ua:
        return None, "%s: ChromeOS runs Invoke only in its Linux environment." % CANT_TELL
    if platform == "windows" or "windows nt" in ua:
        return "Windows", None
    if platform == "macos" or "macintosh" in ua or "mac os x" in ua:
        return "Darwin", None
    if platform == "linux" or "linux" in ua or "x11" in ua:
        return "Linux", None
    return None, "%s: the browser does not say which operating system this is." % CANT_TELL


def _machine(system, ua_data, user_agent, apple_chip):
    """platform.machine() as Python would print it on that OS, or None."""
    arch = _text(ua_data.get("architecture")).lower()
    bits = _text(ua_data.get("bitness"))
    ua = user_agent.lower()
    if apple_chip:
        return "arm64"
    if not arch:
        if system == "Darwin":
            return None  # every Mac browser says "Intel Mac OS X"
        if re.search(r"x86_64|x64|win64|wow64|amd64", ua):
            arch, bits = "x86", "64"
        elif re.search(r"aarch64|arm64", ua):
            arch, bits = "arm", "64"
        else:
            return None
    if arch == "x86":
        if bits and bits != "64":
            return "x86"
        return "AMD64" if system == "Windows" else "x86_64"
    if arch == "arm":
        if system == "Windows":
            return "ARM64"
        return "arm64" if system == "Darwin" else "aarch64"
    return None


def _ram_reason(device_memory):
    if device_memory:
        return (
            "%s: the browser reports about %s GB (navigator.deviceMemory), rounded and capped, "
            "not the RAM installed." % (CANT_TELL, _plain_number(device_memory))
        )
    return "%s: browsers do not say how much RAM the machine has." % CANT_TELL


def _plain_number(value):
    return ("%d" % value) if value == int(value) else ("%g" % value)


def _sentence(text):
    text = text.strip()
    return text if text.endswith(".") else text + "."


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _text(value):
    return value.strip() if isinstance(value, str) else ""
