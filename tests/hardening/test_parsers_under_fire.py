"""Every parser, fed random and damaged real inputs: it never raises and never reads a wrong value.

"A confident wrong value" is defined per parser below; in short, after a
damaging mutation every value read is the original's or None (with a reason
where the parser gives one). Exceptions, written where the test says so:
swapped lines may move a value to another record, and a number cut at the
very end of a one-value output (sysctl) cannot be told from a smaller number.
"""

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.parsers.gpu_strings import gpu_from_browser, parse_webgl_renderer, parse_webgpu_adapter
from checks.parsers.linux import mount_for, parse_cgroup_limit, parse_meminfo_total, parse_mounts, parse_os_release
from checks.parsers.macos import parse_displays, parse_sw_vers, parse_sysctl_flag, parse_sysctl_int
from checks.parsers.nvidia_smi import QUERY_FIELDS, parse_nvidia_smi
from checks.parsers.rocm_smi import parse_driver_json, parse_product_json, parse_vram_json
from checks.units import MAX_BYTES

from .adversarial import STRUCTURED, adversarial_text, text_parsers
from .conftest import count, fuzz
from .inputs import ALL, FAITHFUL, HOSTILE, SHUFFLING, corpus_files, real_outputs, ten_megabytes

FORMATS = ("table", "csv", "query", "failure", "unrecognized")

NVIDIA_TABLES = sorted(
    (name, text)
    for name, text in corpus_files("*/nvidia-smi.txt").items()
    if parse_nvidia_smi(text)["format"] != "failure"
) + [(name, text) for name, text, _ in real_outputs("nvsmi-table")]
NVIDIA_CSVS = sorted(corpus_files("*/nvidia-smi-query.txt").items()) + [
    (name, text) for name, text, _ in real_outputs("nvsmi-csv")
]
MEMINFO = sorted(corpus_files("*/root/proc/meminfo").items())
MOUNTS = sorted(corpus_files("*/root/proc/self/mounts").items())
OS_RELEASE = sorted(corpus_files("*/root/etc/os-release").items())
SYSCTL = sorted(corpus_files("apple-*/sysctl-hw.memsize.txt").items())
DISPLAYS = sorted(corpus_files("apple-*/system_profiler-SPDisplaysDataType.txt").items()) + [
    (name, text) for name, text, _ in real_outputs("mac")
]
ROCM = corpus_files("amd-*/rocm-smi-*.json")
RENDERERS = [
    "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)",
    "ANGLE (AMD, AMD Radeon RX 6800 XT (radeonsi, navi21, LLVM 15.0.7, DRM 3.49, 6.1.0), OpenGL 4.6)",
    "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)",
    "ANGLE (NVIDIA, Vulkan 1.3.242 (NVIDIA NVIDIA GeForce RTX 3060 (0x00002504)), NVIDIA)",
    "NVIDIA GeForce GTX 1080/PCIe/SSE2",
    "Mali-G78, or similar",
]

MUTATION = st.sampled_from(sorted(ALL))


def mutate(text, data):
    name = data.draw(MUTATION, label="mutation")
    return name, ALL[name](text, data)


def ids(cases):
    return [name for name, _ in cases]


# --- nvidia-smi ----------------------------------------------------------------------


def by_name(gpus):
    found = {}
    for gpu in gpus:
        found.setdefault(gpu["name"], set()).add(gpu["vram_bytes"])
    return found


def assert_only_original_gpu_values(result, original, how, text):
    """Each GPU read is one the original lists, with its VRAM or none.

    After a line swap a figure may move to another record (another GPU, or a
    MIG instance's memory to its GPU), never to a figure the original lacks.
    """
    names = by_name(original["gpus"])
    all_vram = set(int(mib) * 2**20 for mib in re.findall(r"([0-9]+)\s*MiB", text))
    all_vram |= set(vram for values in names.values() for vram in values)
    for gpu in result["gpus"]:
        assert gpu["name"] in names, (how, gpu["name"])
        allowed = all_vram if how in SHUFFLING else names[gpu["name"]]
        assert gpu["vram_bytes"] is None or gpu["vram_bytes"] in allowed, (how, gpu)
        assert gpu["driver_version"] in (original["driver_version"], None) or original["format"] == "csv", (how, gpu)
    assert result["cuda_version"] in (original["cuda_version"], None), how


def assert_well_formed(result):
    assert result["format"] in FORMATS
    assert isinstance(result["gpus"], list)
    if not result["gpus"]:
        assert result["reason"] or result["message"]
    for gpu in result["gpus"]:
        assert isinstance(gpu["name"], str) and gpu["name"]
        assert gpu["vram_bytes"] is None or 0 <= gpu["vram_bytes"] <= MAX_BYTES


@pytest.mark.parametrize("name, text", NVIDIA_TABLES + NVIDIA_CSVS, ids=ids(NVIDIA_TABLES + NVIDIA_CSVS))
@fuzz
@given(data=st.data())
def test_nvidia_smi_damaged_real_outputs(name, text, data):
    original = parse_nvidia_smi(text)
    assert original["gpus"] and all(gpu["vram_bytes"] for gpu in original["gpus"])
    how, damaged = mutate(text, data)
    count("nvidia-smi %s (damaged real)" % original["format"])
    result = parse_nvidia_smi(damaged)
    assert_well_formed(result)
    if how in FAITHFUL or how in SHUFFLING:
        assert_only_original_gpu_values(result, original, how, text)


WITH_UNITS = [(name, text) for name, text in NVIDIA_TABLES + NVIDIA_CSVS if "MiB" in text]


@pytest.mark.parametrize("name, text", WITH_UNITS, ids=ids(WITH_UNITS))
@pytest.mark.parametrize("unit", ["GiB", "KiB", "GB"])
def test_nvidia_smi_memory_in_another_unit_is_not_read_as_mib(name, text, unit):
    count("nvidia-smi units changed")
    result = parse_nvidia_smi(text.replace("MiB", unit))
    assert_well_formed(result)
    assert all(gpu["vram_bytes"] is None for gpu in result["gpus"]), result["gpus"]


TABLES_WITH_UNITS = [(name, text) for name, text in NVIDIA_TABLES if "MiB" in text]


@pytest.mark.parametrize("name, text", TABLES_WITH_UNITS, ids=ids(TABLES_WITH_UNITS))
def test_nvidia_smi_table_memory_in_mb_is_read_as_the_mib_old_drivers_meant(name, text):
    """Drivers before R340 printed `6143MB` for 6143 MiB: a table in MB gives the same figures."""
    count("nvidia-smi units changed")
    original = parse_nvidia_smi(text)
    result = parse_nvidia_smi(text.replace("MiB", "MB"))
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [gpu["vram_bytes"] for gpu in original["gpus"]]


def test_nvidia_smi_csv_header_in_gib_is_not_read_as_mib():
    # `--format=csv,nounits`: the unit is only in the header.
    result = parse_nvidia_smi("name, memory.total [GiB], driver_version\nNVIDIA GeForce RTX 4090, 24, 550.54.14\n")
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [None]
    assert result["reason"] == "memory.total is not in MiB"


@fuzz
@given(text=st.text(max_size=3000) | st.binary(max_size=3000))
def test_nvidia_smi_random_input(text):
    count("nvidia-smi random")
    result = parse_nvidia_smi(text)
    assert_well_formed(result)


@fuzz
@given(text=adversarial_text())
def test_nvidia_smi_adversarial_shapes(text):
    """Runs of digits, spaces, pipes and the like (the shapes that make patterns backtrack) read as nothing."""
    count("nvidia-smi adversarial shapes")
    result = parse_nvidia_smi(text)
    assert_well_formed(result)
    assert all(gpu["vram_bytes"] is None or gpu["vram_bytes"] <= MAX_BYTES for gpu in result["gpus"])


@fuzz
@given(text=adversarial_text())
def test_every_parser_survives_adversarial_shapes(text):
    count("every parser, adversarial shapes")
    for name, parser in text_parsers():
        if name not in STRUCTURED:
            parser(text)


@fuzz
@given(
    name=st.text(min_size=1, max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
    memory=st.integers(0, 10**30) | st.text(max_size=12),
    driver=st.text(max_size=12),
    capability=st.text(max_size=6),
    mig=st.text(max_size=10),
)
def test_nvidia_smi_random_query_rows(name, memory, driver, capability, mig):
    """A row of our own query: VRAM is the number printed, in MiB, or None."""
    count("nvidia-smi random query rows")
    line = ", ".join([name, str(memory), driver, capability, mig])
    result = parse_nvidia_smi(line, query_fields=QUERY_FIELDS)
    assert_well_formed(result)
    for gpu in result["gpus"]:
        if gpu["vram_bytes"] is not None:
            assert isinstance(memory, int) and gpu["vram_bytes"] == memory * 2**20


# --- rocm-smi -------------------------------------------------------------------------


ROCM_PARSERS = {"vram": parse_vram_json, "product": parse_product_json, "driver": parse_driver_json}


def rocm_values(kind, result):
    return result["cards"] if kind != "driver" else {"driver": result["driver_version"]}


@pytest.mark.parametrize("name", sorted(ROCM))
@fuzz
@given(data=st.data())
def test_rocm_smi_damaged_real_outputs(name, data):
    kind = name.rsplit("-", 1)[1][: -len(".json")]
    parser = ROCM_PARSERS[kind]
    original = rocm_values(kind, parser(ROCM[name]))
    assert original and all(original.values())
    how, damaged = mutate(ROCM[name], data)
    count("rocm-smi json (damaged real)")
    result = parser(damaged)
    values = rocm_values(kind, result)
    if not any(values.values()):
        assert result["reason"], result
    for card, value in values.items():
        if how == "huge_number" and kind == "vram":
            assert value is None or value == original.get(card) or 0 < value <= MAX_BYTES
        elif how not in HOSTILE:
            assert value in (original.get(card), None), (how, card, value)


@pytest.mark.parametrize("unit", ["(MB)", "(KiB)", "(GB)"])
def test_rocm_smi_vram_in_another_unit_is_not_read(unit):
    count("rocm-smi units changed")
    text = ROCM["amd-rx-7900-xtx-rocm-smi/rocm-smi-vram.json"].replace("(B)", unit)
    result = parse_vram_json(text)
    assert not any(result["cards"].values()) and result["reason"]


@fuzz
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=20,
    )
)
def test_rocm_smi_random_json(value):
    import json

    text = json.dumps(value)
    count("rocm-smi random json")
    for parser in ROCM_PARSERS.values():
        result = parser(text)
        assert result["reason"] is None or isinstance(result["reason"], str)
    for card, size in parse_vram_json(text)["cards"].items():
        assert size is None or 0 < size <= MAX_BYTES


def test_rocm_smi_json_nested_too_deeply():
    count("rocm-smi random json")
    result = parse_vram_json('{"card0": ' + "[" * 100000 + "]" * 100000 + "}")
    assert result["cards"] == {} and result["reason"].startswith("not valid JSON")


# --- Linux files -----------------------------------------------------------------------


@pytest.mark.parametrize("name, text", MEMINFO, ids=ids(MEMINFO))
@fuzz
@given(data=st.data())
def test_meminfo_damaged(name, text, data):
    original = parse_meminfo_total(text)
    assert original
    how, damaged = mutate(text, data)
    count("/proc/meminfo (damaged real)")
    value = parse_meminfo_total(damaged)
    if how in HOSTILE:
        assert value is None or value == original or 0 <= value <= MAX_BYTES
    else:
        assert value in (original, None), how


@pytest.mark.parametrize("name, text", MEMINFO[:1], ids=ids(MEMINFO[:1]))
@pytest.mark.parametrize("unit", ["MB", "mB", "KiB", "GB", "pages"])
def test_meminfo_in_another_unit_is_not_read_as_kb(name, text, unit):
    count("/proc/meminfo units changed")
    assert parse_meminfo_total(text.replace(" kB", " " + unit)) is None


@fuzz
@given(text=st.text(max_size=2000))
def test_linux_files_random(text):
    count("linux files random")
    assert parse_meminfo_total(text) is None or 0 <= parse_meminfo_total(text) <= MAX_BYTES
    limit = parse_cgroup_limit(text)
    assert limit is None or 0 < limit < 2**60
    for mount in parse_mounts(text):
        assert set(mount) == {"device", "mount_point", "fs_type"}
    distro = parse_os_release(text)
    assert distro is None or set(distro) == {"id", "id_like", "version_id", "pretty_name"}


@pytest.mark.parametrize("text", ["\u00b2", "\u0663", "9" * 5000, "-1", "1e9", " max\n", ""])
def test_cgroup_limit_odd_numbers(text):
    count("cgroup limit odd numbers")
    assert parse_cgroup_limit(text) is None


@pytest.mark.parametrize("name, text", MOUNTS, ids=ids(MOUNTS))
@fuzz
@given(data=st.data())
def test_mounts_damaged(name, text, data):
    """Every mount read is a mount of the original, field for field: a line cut short is dropped."""
    original = [tuple(sorted(mount.items())) for mount in parse_mounts(text)]
    assert len(original) >= 2
    how, damaged = mutate(text, data)
    count("/proc/self/mounts (damaged real)")
    mounts = parse_mounts(damaged)
    if how not in HOSTILE:
        for mount in mounts:
            assert tuple(sorted(mount.items())) in original, (how, mount)
    found = mount_for("/tmp/x", mounts)
    assert found is None or found in mounts


@pytest.mark.parametrize("name, text", OS_RELEASE, ids=ids(OS_RELEASE))
@fuzz
@given(data=st.data())
def test_os_release_damaged(name, text, data):
    """The distro id is the original, None, or (its line cut) a prefix of it; quoted values are never cut."""
    original = parse_os_release(text)
    how, damaged = mutate(text, data)
    count("/etc/os-release (damaged real)")
    distro = parse_os_release(damaged)
    if distro is None or how in HOSTILE:
        return
    assert distro["id"] is None or original["id"].startswith(distro["id"]), (how, distro)
    if distro["pretty_name"] is not None and how in FAITHFUL:
        assert distro["pretty_name"] == original["pretty_name"], (how, distro)


# --- macOS outputs ---------------------------------------------------------------------


@pytest.mark.parametrize("name, text", SYSCTL, ids=ids(SYSCTL))
@fuzz
@given(data=st.data())
def test_sysctl_damaged(name, text, data):
    """sysctl -n prints one number: it is read whole or not at all (a cut number is the one
    case that cannot be told from a smaller one; sysctl is run, never pasted, so it is not cut)."""
    original = parse_sysctl_int(text)
    assert original
    how = data.draw(st.sampled_from(sorted(set(ALL) - {"truncate"})), label="mutation")
    damaged = ALL[how](text, data)
    count("sysctl (damaged real)")
    value = parse_sysctl_int(damaged)
    assert value is None or value == original or (how in HOSTILE and value < 10**20), (how, value)


@fuzz
@given(text=st.text(max_size=50))
def test_sysctl_random(text):
    count("sysctl random")
    value = parse_sysctl_int(text)
    assert value is None or (text.strip().isdigit() and value == int(text.strip()))
    assert parse_sysctl_flag(text) in (True, False, None)
    if parse_sysctl_flag(text) is not None:
        assert text.strip() in ("0", "1")
    assert isinstance(parse_sw_vers(text), dict)


@pytest.mark.parametrize("text", ["\u00b2", "9" * 5000, "12 GB", "-5", "0x10"])
def test_sysctl_odd_numbers(text):
    count("sysctl odd numbers")
    assert parse_sysctl_int(text) is None


@pytest.mark.parametrize("name, text", DISPLAYS, ids=ids(DISPLAYS))
@fuzz
@given(data=st.data())
def test_system_profiler_damaged(name, text, data):
    """GPU names are the original's (or cut from it at the end); VRAM is the original's or None."""
    original = parse_displays(text)
    assert original
    how, damaged = mutate(text, data)
    count("system_profiler (damaged real)")
    gpus = parse_displays(damaged)
    for gpu in gpus:
        assert gpu["vram_bytes"] is None or 0 < gpu["vram_bytes"] <= MAX_BYTES
        if how in FAITHFUL:
            assert any(first["name"].startswith(gpu["name"]) for first in original), (how, gpu)
            assert gpu["vram_bytes"] in [first["vram_bytes"] for first in original] + [None], (how, gpu)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("VRAM (Total): 8 GB", 8 * 2**30),
        ("VRAM (Total): 1536 MB", 1536 * 2**20),
        ("VRAM (Total): 8 TB", None),
        ("VRAM (Total): 8 GiB", None),
        ("VRAM (Total): 8", None),
        ("VRAM (Total): %s MB" % ("9" * 5000), None),
        ("VRAM (Total): 8 GBx", None),
    ],
)
def test_system_profiler_vram_units(line, expected):
    count("system_profiler units")
    gpus = parse_displays("Chipset Model: Some GPU\nTotal Number of Cores: \u00b2\n" + line + "\n")
    assert gpus[0]["vram_bytes"] == expected and gpus[0]["cores"] is None


# --- browser GPU strings ------------------------------------------------------------------


def assert_gpu_or_reason(result):
    gpu, note = result
    if gpu is None:
        assert isinstance(note, str) and note
    else:
        assert gpu["vendor"] in ("nvidia", "amd", "apple", "intel", "other")
        assert isinstance(gpu["name"], str) and gpu["name"]
        assert isinstance(gpu["name_exact"], bool)


@fuzz
@given(
    renderer=st.text(max_size=300) | st.sampled_from(RENDERERS),
    vendor=st.none() | st.text(max_size=30),
    webgpu=st.none()
    | st.dictionaries(
        st.sampled_from(["vendor", "architecture", "device", "description"]),
        st.text(max_size=40) | st.integers() | st.none(),
    ),
)
def test_gpu_strings_random(renderer, vendor, webgpu):
    count("webgl/webgpu strings random")
    assert_gpu_or_reason(parse_webgl_renderer(renderer, vendor))
    assert_gpu_or_reason(parse_webgpu_adapter(webgpu))
    assert_gpu_or_reason(gpu_from_browser({"renderer": renderer, "vendor": vendor}, webgpu))


@pytest.mark.parametrize("renderer", RENDERERS)
@fuzz
@given(data=st.data())
def test_gpu_strings_damaged_real(renderer, data):
    """A damaged renderer string never names another vendor than the original."""
    original, _ = parse_webgl_renderer(renderer)
    how, damaged = mutate(renderer, data)
    count("webgl strings (damaged real)")
    result = parse_webgl_renderer(damaged)
    assert_gpu_or_reason(result)
    gpu = result[0]
    if gpu is not None and how in FAITHFUL:
        assert gpu["vendor"] in (original["vendor"], "other"), (how, damaged, gpu)


@pytest.mark.parametrize(
    "renderer",
    [
        "ANGLE (NVIDIA, NVIDIA GeForce GTX 16",
        "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D",
    ],
)
def test_a_renderer_string_cut_short_is_not_an_exact_model(renderer):
    """ "GTX 16" is not a GTX 1660: a cut ANGLE string must not clear the problematic-GPU check."""
    count("webgl strings cut short")
    gpu, note = parse_webgl_renderer(renderer)
    assert gpu is None or not gpu["name_exact"], gpu
    assert note


# --- 10 MB of text ---------------------------------------------------------------------------

TEN_MB_CASES = {
    "nvidia-smi table": (lambda text: parse_nvidia_smi(text), NVIDIA_TABLES[0][1]),
    "nvidia-smi csv": (lambda text: parse_nvidia_smi(text), NVIDIA_CSVS[0][1]),
    "nvidia-smi one line": (lambda text: parse_nvidia_smi(text), "|   0  NVIDIA " + " x" * 10),
    "rocm-smi": (parse_vram_json, ROCM["amd-rx-7900-xtx-rocm-smi/rocm-smi-vram.json"]),
    "meminfo": (parse_meminfo_total, MEMINFO[0][1]),
    "mounts": (parse_mounts, MOUNTS[0][1]),
    "os-release": (parse_os_release, OS_RELEASE[0][1]),
    "sysctl": (parse_sysctl_int, "8589934592"),
    "system_profiler": (parse_displays, DISPLAYS[0][1]),
    "webgl": (parse_webgl_renderer, "ANGLE (NVIDIA, NVIDIA GeForce RTX 4090/PCIe/SSE2, OpenGL 4.5.0) /"),
    "webgl one line": (parse_webgl_renderer, "/"),
}


@pytest.mark.parametrize("case", sorted(TEN_MB_CASES))
def test_ten_megabytes_of_text(case):
    parser, sample = TEN_MB_CASES[case]
    count("10 MB inputs")
    started = time.monotonic()
    parser(ten_megabytes(sample))
    assert time.monotonic() - started < 20
