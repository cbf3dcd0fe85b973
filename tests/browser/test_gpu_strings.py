"""The GPU a browser describes: WebGL renderer strings and WebGPU adapter info."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.parsers.gpu_strings import gpu_from_browser, parse_webgl_renderer, parse_webgpu_adapter

RENDERERS = [
    # Chrome on Windows (Direct3D 11)
    (
        "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)",
        "nvidia",
        "NVIDIA GeForce GTX 1660 Ti",
    ),
    ("ANGLE (AMD, AMD Radeon RX 7900 XTX Direct3D11 vs_5_0 ps_5_0, D3D11)", "amd", "AMD Radeon RX 7900 XTX"),
    ("ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)", "intel", "Intel(R) UHD Graphics 620"),
    # Chrome on Linux (OpenGL, Vulkan, Mesa)
    (
        "ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0)",
        "nvidia",
        "NVIDIA GeForce RTX 4090",
    ),
    (
        "ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0 NVIDIA 535.54.03)",
        "nvidia",
        "NVIDIA GeForce RTX 4090",
    ),
    (
        "ANGLE (NVIDIA, Vulkan 1.3.242 (NVIDIA NVIDIA GeForce RTX 3060 (0x00002504)), NVIDIA)",
        "nvidia",
        "NVIDIA GeForce RTX 3060",
    ),
    (
        "ANGLE (AMD, AMD Radeon RX 6800 XT (radeonsi, navi21, LLVM 15.0.7, DRM 3.49, 6.1.0), OpenGL 4.6)",
        "amd",
        "AMD Radeon RX 6800 XT",
    ),
    # Chrome on macOS
    ("ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)", "apple", "Apple M2"),
    ("ANGLE (ATI Technologies Inc., AMD Radeon Pro 5500M OpenGL Engine, OpenGL 4.1)", "amd", "AMD Radeon Pro 5500M"),
    # Firefox without ANGLE
    ("NVIDIA GeForce GTX 1080/PCIe/SSE2", "nvidia", "NVIDIA GeForce GTX 1080"),
]


@pytest.mark.parametrize("renderer, vendor, name", RENDERERS)
def test_renderer_strings_give_vendor_and_model(renderer, vendor, name):
    gpu, note = parse_webgl_renderer(renderer)
    assert gpu == {"vendor": vendor, "name": name, "name_exact": True}
    assert note is None


@pytest.mark.parametrize(
    "renderer",
    [
        "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
        "Google SwiftShader",
        "llvmpipe (LLVM 15.0.6, 256 bits)",
        "ANGLE (Mesa, llvmpipe (LLVM 15.0.6 256 bits), OpenGL 4.5)",
        "ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)",
    ],
)
def test_software_renderers_mean_no_hardware_gpu(renderer):
    gpu, note = parse_webgl_renderer(renderer)
    assert gpu is None
    assert "software" in note


def test_firefox_similar_model_is_not_exact():
    gpu, note = parse_webgl_renderer("ANGLE (NVIDIA, NVIDIA GeForce GTX 980 Direct3D11 vs_5_0 ps_5_0), or similar")
    assert gpu == {"vendor": "nvidia", "name": "NVIDIA GeForce GTX 980", "name_exact": False}
    assert "similar" in note


def test_safari_apple_gpu_names_no_chip():
    gpu, note = parse_webgl_renderer("Apple GPU")
    assert gpu["vendor"] == "apple" and gpu["name_exact"] is False
    assert "Apple GPU" in note


@pytest.mark.parametrize("value", [None, "", "   "])
def test_nothing_reported(value):
    gpu, note = parse_webgl_renderer(value)
    assert gpu is None and note


def test_webgpu_gives_vendor_and_architecture_only():
    gpu, note = parse_webgpu_adapter({"vendor": "nvidia", "architecture": "turing", "device": "", "description": ""})
    assert gpu == {"vendor": "nvidia", "name": "NVIDIA GPU (turing)", "name_exact": False}
    assert note


def test_webgpu_description_names_the_model_when_given():
    gpu, _ = parse_webgpu_adapter({"vendor": "nvidia", "architecture": "ada", "description": "NVIDIA GeForce RTX 4090"})
    assert gpu["name"] == "NVIDIA GeForce RTX 4090" and gpu["name_exact"]


@pytest.mark.parametrize("info", [None, {}, {"vendor": ""}, {"vendor": "google", "architecture": "swiftshader"}])
def test_webgpu_without_a_hardware_adapter(info):
    gpu, note = parse_webgpu_adapter(info)
    assert gpu is None and note


def test_webgl_model_wins_over_webgpu_vendor():
    gpu, _ = gpu_from_browser({"renderer": RENDERERS[0][0]}, {"vendor": "nvidia", "architecture": "turing"})
    assert gpu["name"] == "NVIDIA GeForce GTX 1660 Ti"


def test_webgpu_fills_in_when_webgl_is_software_or_missing():
    gpu, _ = gpu_from_browser(None, {"vendor": "amd", "architecture": "rdna-3"})
    assert gpu["vendor"] == "amd"
    gpu, note = gpu_from_browser({"renderer": "Google SwiftShader"}, None)
    assert gpu is None and "software" in note


@given(st.one_of(st.none(), st.text(), st.integers(), st.lists(st.text())))
def test_never_raises(value):
    gpu, note = parse_webgl_renderer(value, value)
    assert gpu is None or set(gpu) == {"vendor", "name", "name_exact"}
    gpu, note = parse_webgpu_adapter({"vendor": value, "architecture": value, "description": value})
    gpu, note = gpu_from_browser({"renderer": value}, value)
