"""What a browser says about its GPU, turned into a vendor and a model name.

Browsers describe the GPU in two places: the WebGL unmasked renderer string
("ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)")
and WebGPU's adapter info (a vendor and an architecture, no model). Both are
free text that varies by browser, OS and graphics backend, so every function
here returns (gpu, note) and never raises:

    gpu  = {"vendor": "nvidia" | "amd" | "apple" | "intel" | "other",
            "name": "NVIDIA GeForce GTX 1660 Ti", "name_exact": bool} or None
    note = why gpu is None, or a caveat about it (the model is approximate), or None
"""

import re

# Renderers that draw on the CPU: the browser sees no hardware GPU at all.
_SOFTWARE = re.compile(
    r"swiftshader|llvmpipe|softpipe|lavapipe|basic render driver|software rasterizer|software adapter",
    re.I,
)

_VENDOR_WORDS = (
    ("nvidia", re.compile(r"nvidia|geforce|quadro|tesla|\brtx\b|\bgtx\b", re.I)),
    ("amd", re.compile(r"\bamd\b|\bati\b|radeon|advanced micro devices", re.I)),
    ("apple", re.compile(r"\bapple\b", re.I)),
    ("intel", re.compile(r"\bintel\b", re.I)),
)

_VENDOR_LABELS = {"nvidia": "NVIDIA", "amd": "AMD", "apple": "Apple", "intel": "Intel"}

# Trailing pieces of a device name that describe the graphics backend, not the card.
_NOISE = (
    re.compile(r"\s+Direct3D\S*(\s+vs_\S+)?(\s+ps_\S+)?", re.I),  # D3D: "Direct3D11 vs_5_0 ps_5_0"
    re.compile(r"/(PCIe|AGP|PCI)?/?(SSE2|3DNOW!?)?.*$", re.I),  # OpenGL: "RTX 4090/PCIe/SSE2"
    re.compile(r"\s+OpenGL Engine\s*$", re.I),  # macOS OpenGL
    re.compile(r"\s*\(0x[0-9a-f]+\)", re.I),  # Vulkan device ids
    re.compile(r"\s*\([^()]*(LLVM|DRM|radeonsi|navi|iris|i915)[^()]*\)\s*$", re.I),  # Mesa details
)

_FIREFOX_SIMILAR = re.compile(r",?\s*or similar\s*$", re.I)


def parse_webgl_renderer(renderer, vendor=None):
    """The GPU in a WebGL UNMASKED_RENDERER_WEBGL string (and UNMASKED_VENDOR_WEBGL)."""
    try:
        return _parse_renderer(renderer, vendor)
    except Exception as exc:  # free text from any browser: report, never crash
        return None, "the browser's GPU description could not be read (%s)" % exc


def parse_webgpu_adapter(info):
    """The GPU in WebGPU adapter info: {"vendor", "architecture", "device", "description"}."""
    try:
        return _parse_adapter(info)
    except Exception as exc:
        return None, "the browser's WebGPU description could not be read (%s)" % exc


def gpu_from_browser(webgl, webgpu):
    """The best GPU description from what the page gathered: WebGL names the model, WebGPU only the vendor.

    `webgl` is {"renderer": str, "vendor": str} or None, `webgpu` adapter info or None.
    """
    notes = []
    if isinstance(webgl, dict) and webgl.get("renderer"):
        gpu, note = parse_webgl_renderer(webgl.get("renderer"), webgl.get("vendor"))
        if gpu is not None and gpu["name_exact"]:
            return gpu, note
        if note:
            notes.append(note)
        webgl_gpu = gpu
    else:
        webgl_gpu = None
        notes.append("the browser did not share a WebGL renderer")
    if isinstance(webgpu, dict) and any(webgpu.get(key) for key in ("vendor", "architecture", "description")):
        gpu, note = parse_webgpu_adapter(webgpu)
        if gpu is not None and (gpu["name_exact"] or webgl_gpu is None):
            return gpu, note
        if note and gpu is None and webgl_gpu is None:
            notes.append(note)
    if webgl_gpu is not None:
        return webgl_gpu, notes[0] if notes else None
    return None, "; ".join(notes) if notes else "the browser did not describe its GPU"


def _parse_renderer(renderer, vendor):
    text = _clean_text(renderer)
    if not text:
        return None, "the browser did not share a GPU description"
    if _SOFTWARE.search(text):
        return None, (
            "the browser draws in software (%s): it has no hardware GPU to use, "
            "so it cannot see the machine's GPU" % _software_name(text)
        )
    approximate = bool(_FIREFOX_SIMILAR.search(text))
    # "ANGLE (NVIDIA, NVIDIA GeForce GTX 16": cut short, so the model may be another one.
    text = _FIREFOX_SIMILAR.sub("", text)
    cut_short = text.startswith("ANGLE (") and not text.endswith(")")
    if cut_short:
        text += ")"
    angle_vendor, device = _split_angle(text)
    name = _clean_device(device)
    gpu_vendor = _vendor_of(name) or _vendor_of(angle_vendor or "") or _vendor_of(_clean_text(vendor))
    if not name:
        return None, "the browser's GPU description names no model: %r" % text
    if re.match(r"^apple gpu$", name, re.I):
        return (
            {"vendor": "apple", "name": name, "name_exact": False},
            "the browser reports only \"Apple GPU\", not the chip",
        )
    gpu = {"vendor": gpu_vendor or "other", "name": name, "name_exact": not (approximate or cut_short)}
    if cut_short:
        return gpu, "the browser's GPU description is cut short, so the model is not certain"
    if approximate:
        return gpu, "the browser reports a similar model, not the exact one"
    return gpu, None


def _parse_adapter(info):
    if not isinstance(info, dict):
        return None, "the browser has no WebGPU adapter"
    description = _clean_text(info.get("description"))
    if description:
        gpu, note = _parse_renderer(description, info.get("vendor"))
        if gpu is not None or _SOFTWARE.search(description):
            return gpu, note
    vendor_text = _clean_text(info.get("vendor"))
    architecture = _clean_text(info.get("architecture"))
    if _SOFTWARE.search(vendor_text + " " + architecture):
        return None, "the browser's WebGPU adapter is a software renderer: it has no hardware GPU to use"
    vendor = _vendor_of(vendor_text)
    if vendor is None:
        if not vendor_text:
            return None, "the browser's WebGPU adapter names no vendor"
        vendor = "other"
    label = _VENDOR_LABELS.get(vendor, vendor_text)
    name = "%s GPU (%s)" % (label, architecture) if architecture else "%s GPU" % label
    return (
        {"vendor": vendor, "name": name, "name_exact": False},
        "WebGPU names the vendor and architecture, not the model",
    )


def _split_angle(text):
    """("NVIDIA", "NVIDIA GeForce GTX 1660 Ti Direct3D11 ...") from "ANGLE (NVIDIA, ..., D3D11)"."""
    match = re.match(r"^ANGLE \((.*)\)$", text)
    if not match:
        return None, text
    inner = match.group(1)
    vendor, _, rest = inner.partition(", ")
    if not rest:
        return None, inner
    backend = re.search(
        r", (D3D\d+\S*|OpenGL[^,]*|Vulkan[^,]*|Metal[^,]*|Unspecified Version|[^,()]*driver|[^,()]*)$", rest
    )
    device = rest[: backend.start()] if backend else rest
    vulkan = re.match(r"^Vulkan [\d.]+ \((.*)\)$", device)
    if vulkan:
        device = vulkan.group(1)
    return vendor, device


def _clean_device(device):
    name = re.sub(r"^ANGLE Metal Renderer:\s*", "", device.strip(), flags=re.I)
    name = re.sub(r"^Mesa\s+", "", name)
    for pattern in _NOISE:
        name = pattern.sub("", name)
    # Vulkan repeats the vendor: "NVIDIA NVIDIA GeForce RTX 3060"
    name = re.sub(r"^(\w+) (?=\1\b)", "", name, flags=re.I)
    return re.sub(r"\s+", " ", name).strip(" ,")


def _vendor_of(text):
    for vendor, pattern in _VENDOR_WORDS:
        if pattern.search(text or ""):
            return vendor
    return None


def _software_name(text):
    match = _SOFTWARE.search(text)
    word = match.group(0)
    return {"swiftshader": "SwiftShader", "llvmpipe": "llvmpipe"}.get(word.lower(), word)


def _clean_text(value):
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()
