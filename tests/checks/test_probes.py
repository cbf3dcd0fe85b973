"""Probes against the fixture corpus and against tools that misbehave."""

import json
import sys
import time
import types
from pathlib import Path

import pytest

from checks.parsers.macos import parse_displays, parse_sw_vers, parse_sysctl_int
from checks.parsers.nvidia_smi import MIB, parse_nvidia_smi
from checks.probes import Platform, gather_facts
from checks.run import run_tool
from tools.corpus import CASE_PLATFORM, case_dir, facts_for_case, list_cases

EXPECTED = {  # case: (gpu names, VRAM MiB, compute capability of the first, nvidia_smi status)
    "gtx-1660-ti": (["NVIDIA GeForce GTX 1660 Ti"], [6144], "7.5", "ok"),
    "gtx-1080-ti": (["GeForce GTX 1080 Ti"], [11178], None, "ok"),
    "gtx-1650-max-q": (["NVIDIA GeForce GTX 1650 with Max-Q Design"], [4096], "7.5", "ok"),
    "rtx-3060-12gb": (["NVIDIA GeForce RTX 3060"], [12288], "8.6", "ok"),
    "rtx-4090": (["NVIDIA GeForce RTX 4090"], [24564], "8.9", "ok"),
    "h100": (["NVIDIA H100 80GB HBM3"] * 8, [81559] * 8, "9.0", "ok"),
    "a100-mig": (["NVIDIA A100-PCIE-40GB"] * 2, [40960] * 2, "8.0", "ok"),
    "two-gpus": (["NVIDIA GeForce RTX 2080 Ti", "NVIDIA GeForce GTX 1070"], [11264, 8192], "7.5", "ok"),
    "r470-no-compute-cap": (["NVIDIA GeForce RTX 2070"], [7982], None, "ok"),
    "wsl2": (["NVIDIA GeForce RTX 3070"], [8192], "8.6", "ok"),
    "driver-not-loaded": ([], [], None, "failed"),
    "driver-library-mismatch": ([], [], None, "failed"),
    "cpu-only-small-tmpfs": ([], [], None, "missing"),
}


@pytest.fixture(scope="module")
def corpus_facts(rules):
    return dict((name, facts_for_case(name, rules)) for name in list_cases())


def test_the_corpus_holds_every_required_case():
    required = set(EXPECTED) | {
        "amd-rx-7900-xtx-rocm-smi",
        "amd-rx-7900-xtx-sysfs",
        "apple-m1-8gb",
        "apple-m2-16gb",
        "windows-system32-nvidia-smi",
    }
    assert required <= set(list_cases())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nvidia_cases_are_probed_from_their_fake_tools(corpus_facts, name):
    facts = corpus_facts[name]
    names, mib, capability, status = EXPECTED[name]
    assert facts["probe_errors"] == {}
    assert [gpu["name"] for gpu in facts["gpus"]] == names
    assert [gpu["vram_bytes"] for gpu in facts["gpus"]] == [value * MIB for value in mib]
    assert facts["nvidia_smi"]["status"] == status
    if names:
        assert facts["gpus"][0]["compute_capability"] == capability
        table = parse_nvidia_smi((case_dir(name) / "nvidia-smi.txt").read_text(encoding="utf-8"))
        assert facts["gpus"][0]["cuda_version"] == table["cuda_version"] is not None
    assert facts["gpu_hardware"]["nvidia"] is (name != "cpu-only-small-tmpfs")


def test_failures_keep_the_tools_own_message_and_exit_code(corpus_facts):
    assert "couldn't communicate with the NVIDIA driver" in corpus_facts["driver-not-loaded"]["nvidia_smi"]["message"]
    assert corpus_facts["driver-not-loaded"]["nvidia_smi"]["exit_code"] == 9
    assert (
        corpus_facts["driver-library-mismatch"]["nvidia_smi"]["message"]
        == "Failed to initialize NVML: Driver/library version mismatch"
    )
    assert corpus_facts["driver-not-loaded"]["nvidia_smi"]["failure"] == "driver-not-loaded"
    assert corpus_facts["driver-library-mismatch"]["nvidia_smi"]["failure"] == "driver-library-mismatch"


def test_mig_r470_and_wsl_details(corpus_facts):
    assert [gpu["mig"] for gpu in corpus_facts["a100-mig"]["gpus"]] == [True, False]
    assert corpus_facts["h100"]["gpus"][0]["mig"] is False
    assert "gpus.compute_capability" in corpus_facts["r470-no-compute-cap"]["unknown"]
    wsl = corpus_facts["wsl2"]
    assert wsl["os"]["wsl"] is True
    assert wsl["nvidia_smi"]["path"] == "/usr/lib/wsl/lib/nvidia-smi"
    assert corpus_facts["rtx-4090"]["os"]["wsl"] is False


def test_amd_cases(corpus_facts):
    rocm = corpus_facts["amd-rx-7900-xtx-rocm-smi"]
    assert [(gpu["vendor"], gpu["source"], gpu["vram_bytes"]) for gpu in rocm["gpus"]] == [
        ("amd", "rocm-smi", 25753026560)
    ]
    assert "7900 XTX" in rocm["gpus"][0]["name"]
    assert rocm["rocm_smi"]["driver_version"] == "6.7.0"
    assert rocm["gpus"][0]["rocm_version"] == "6.1.2-119"
    sysfs = corpus_facts["amd-rx-7900-xtx-sysfs"]
    assert [(gpu["source"], gpu["vram_bytes"]) for gpu in sysfs["gpus"]] == [("sysfs", 25753026560)]
    assert sysfs["rocm_smi"]["status"] == "missing"
    assert sysfs["gpu_hardware"] == {"nvidia": False, "amd": True}


def test_linux_system_files(corpus_facts):
    small = corpus_facts["cpu-only-small-tmpfs"]
    assert small["ram"]["cgroup_limit_bytes"] == 6442450944
    assert small["ram"]["total_bytes"] == 6442450944
    assert small["temp"]["path"] == "/tmp" and small["temp"]["fs_type"] == "tmpfs" and small["temp"]["is_tmpfs"]
    assert small["os"]["distro"]["id"] == "debian"
    assert corpus_facts["h100"]["os"]["distro"]["id_like"] == ["fedora"]
    assert corpus_facts["gtx-1660-ti"]["ram"]["total_bytes"] == 16303000 * 1024
    assert corpus_facts["gtx-1650-max-q"]["disk"]["rotational"] is True
    assert corpus_facts["rtx-4090"]["disk"]["rotational"] is False
    assert corpus_facts["rtx-4090"]["disk"]["install_dir"] == "/home/user/invokeai"
    assert corpus_facts["rtx-4090"]["disk"]["measured_path"] == "/home/user"


@pytest.mark.parametrize("name", ["apple-m1-8gb", "apple-m2-16gb"])
def test_hand_written_apple_facts_match_their_recorded_outputs(name):
    folder, facts = case_dir(name), facts_for_case(name)
    read = lambda file: (folder / file).read_text(encoding="utf-8")  # noqa: E731
    assert facts["ram"]["total_bytes"] == parse_sysctl_int(read("sysctl-hw.memsize.txt"))
    assert facts["os"]["version"] == parse_sw_vers(read("sw_vers.txt"))["ProductVersion"]
    displays = parse_displays(read("system_profiler-SPDisplaysDataType.txt"))
    assert (
        [gpu["name"] for gpu in facts["gpus"]]
        == [displays[0]["name"]]
        == [read("sysctl-machdep.cpu.brand_string.txt").strip()]
    )
    assert facts["gpus"][0]["vram_bytes"] is None and facts["gpus"][0]["vram_is_estimate"] is False


def test_hand_written_windows_facts_match_their_recorded_outputs():
    folder = case_dir("windows-system32-nvidia-smi")
    facts = facts_for_case("windows-system32-nvidia-smi")
    table = parse_nvidia_smi((folder / "nvidia-smi.txt").read_text(encoding="utf-8"))
    query = parse_nvidia_smi((folder / "nvidia-smi-query.txt").read_text(encoding="utf-8"))
    gpu = facts["gpus"][0]
    assert (gpu["name"], gpu["vram_bytes"], gpu["compute_capability"]) == (
        query["gpus"][0]["name"],
        query["gpus"][0]["vram_bytes"],
        query["gpus"][0]["compute_capability"],
    )
    assert gpu["cuda_version"] == table["cuda_version"] and gpu["driver_version"] == table["driver_version"]
    assert facts["nvidia_smi"]["path"].endswith("System32\\nvidia-smi.exe")


# --- misbehaving tools ------------------------------------------------------------


def _fake_tool(tmp_path, body, name="nvidia-smi"):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / name
    tool.write_text("#!/bin/sh\n" + body + "\n")
    tool.chmod(0o755)
    return bin_dir


def test_a_hanging_nvidia_smi_is_stopped_and_reported(tmp_path, monkeypatch):
    from checks.probes import nvidia

    bin_dir = _fake_tool(tmp_path, "exec /bin/sleep 30")
    monkeypatch.setattr(nvidia, "TIMEOUT", 1)
    started = time.time()
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert time.time() - started < 5
    assert facts["nvidia_smi"]["status"] == "timeout"
    assert "did not finish" in facts["nvidia_smi"]["message"]
    assert facts["gpus"] == []


def test_garbage_and_non_utf8_output_give_no_gpu(tmp_path):
    bin_dir = _fake_tool(tmp_path, r"printf '\377\376 garbage \200\n'")
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert facts["nvidia_smi"]["status"] == "failed"
    assert facts["gpus"] == []
    assert facts["probe_errors"] == {}


def test_run_tool_outcomes(tmp_path):
    assert run_tool([str(tmp_path / "absent")])["status"] == "missing"
    failed = run_tool(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (failed["status"], failed["exit_code"], failed["stdout"], failed["stderr"]) == (
        "failed",
        3,
        "out\n",
        "err\n",
    )
    assert run_tool(["/bin/sh", "-c", r"printf '\377ok'"])["stdout"] == "\ufffdok"
    assert run_tool(["/bin/sh", "-c", "echo $LC_ALL $LANG"])["stdout"] == "C C\n"
    started = time.time()
    endless = run_tool(["/bin/sh", "-c", "yes"], max_bytes=100000)
    assert endless["status"] == "error" and len(endless["stdout"]) <= 100000 and time.time() - started < 5
    started = time.time()
    hanging = run_tool(["/bin/sh", "-c", "sleep 30; echo never"], timeout=0.5)
    assert hanging["status"] == "timeout" and time.time() - started < 3


def test_missing_proc_files_are_unknown_not_errors(tmp_path):
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(tmp_path)}, install_dir="/nowhere/at/all")
    assert facts["probe_errors"] == {}
    assert facts["ram"]["total_bytes"] is None and "ram.total_bytes" in facts["unknown"]
    assert facts["os"]["distro"] is None and "os.distro" in facts["unknown"]
    assert "gpu_hardware" in facts["unknown"]
    assert facts["nvidia_smi"]["status"] == "missing"


def test_one_probe_raising_leaves_the_others(monkeypatch, tmp_path):
    def broken(*args):
        raise RuntimeError("boom")

    root = case_dir("rtx-4090") / "root"
    from checks import probes

    monkeypatch.setattr(probes, "probe_memory", lambda facts, context: broken())
    facts = gather_facts(root=str(root), env={"PATH": str(tmp_path)})
    assert facts["probe_errors"] == {"ram": "RuntimeError: boom"}
    assert facts["os"]["distro"]["id"] == "arch"


def test_psutil_is_used_where_the_os_gives_no_total(monkeypatch):
    import checks.probes.memory as memory

    monkeypatch.setattr(memory, "parse_meminfo_total", lambda text: None)
    monkeypatch.setattr(memory, "_cgroup_limit", lambda context: None)
    fake = types.SimpleNamespace(virtual_memory=lambda: types.SimpleNamespace(total=123456789012))
    monkeypatch.setitem(sys.modules, "psutil", fake)
    facts = gather_facts(only_sections=["ram"])
    assert (facts["ram"]["source"], facts["ram"]["total_bytes"]) == ("psutil", 123456789012)
    monkeypatch.setitem(sys.modules, "psutil", None)  # absent: import psutil raises ImportError
    facts = gather_facts(only_sections=["ram"])
    assert facts["ram"]["total_bytes"] is None and "ram.total_bytes" in facts["unknown"]


def test_proc_meminfo_needs_no_psutil(monkeypatch):
    monkeypatch.setitem(sys.modules, "psutil", None)
    facts = gather_facts(only_sections=["ram"])
    assert facts["ram"]["source"] in ("/proc/meminfo", "cgroup memory limit")
    assert facts["ram"]["total_bytes"] > 0


def test_other_pythons_are_asked_only_when_the_running_one_is_unsupported(rules):
    folder = case_dir("cpu-only-small-tmpfs")
    env = {"PATH": str(folder / "bin")}
    facts = gather_facts(root=str(folder / "root"), env=env, rules=rules, only_sections=["python"])
    assert facts["python"]["others"] == [] and "python.others" in facts["unknown"]
    unsupported = json.loads(json.dumps(rules))
    for rule in unsupported["rules"]:
        if rule["id"] == "python.version":
            rule["values"]["supported"] = ["3.10"]
    facts = gather_facts(root=str(folder / "root"), env=env, rules=unsupported, only_sections=["python"])
    assert facts["python"]["others"] == [{"version": "3.10.12", "path": str(folder / "bin" / "python3.10")}]


def test_pasted_text_is_parsed_without_running_anything(tmp_path):
    bin_dir = _fake_tool(tmp_path, "echo should-not-run; exit 1")
    text = "NVIDIA GeForce RTX 3060, 12288, 535.54.03, 8.6\n"
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, nvidia_smi_text=text, only_sections=["nvidia"])
    assert facts["nvidia_smi"]["status"] == "ok"
    assert facts["gpus"][0]["vram_bytes"] == 12288 * MIB


def test_a_tmpdir_inside_a_small_tmpfs_is_remounted_at_its_mount_point(tmp_path, rules):
    """TMPDIR=/tmp/build on the /tmp tmpfs: the fix remounts /tmp, the mount point, not /tmp/build."""
    import shutil

    from checks.evaluate import evaluate
    from tools.corpus import CASE_PLATFORM

    root = tmp_path / "root"
    shutil.copytree(str(case_dir("cpu-only-small-tmpfs") / "root"), str(root))
    (root / "tmp" / "build").mkdir(parents=True)
    facts = gather_facts(
        root=str(root),
        env={"PATH": "", "TMPDIR": "/tmp/build"},
        only_sections=["os", "temp"],
        rules=rules,
        platform_info=CASE_PLATFORM,
    )
    assert facts["temp"]["path"] == "/tmp/build"
    assert facts["temp"]["mount_point"] == "/tmp" and facts["temp"]["is_tmpfs"] is True
    facts["temp"]["free_bytes"] = 3 * 10**9
    finding = next(
        item for item in evaluate(facts, rules, "https://example.test/")["findings"] if item["id"] == "tmp.space"
    )
    assert finding["status"] == "fail"
    assert finding["fix"].endswith(" /tmp"), finding["fix"]


# --- tools side by side -------------------------------------------------------------


def _probe_both_ways(**options):
    """gather_facts with every tool call begun at once, and with each call made when its probe gets to it.

    Free space is this machine's, which others write to meanwhile: it is left out.
    """
    both = gather_facts(side_by_side=True, **options), gather_facts(side_by_side=False, **options)
    for facts in both:
        for section in ("disk", "temp"):
            facts[section]["free_bytes"] = "measured"
    return both


def _unsupported_python(rules):
    """The rules with a Python version no interpreter has: the probe asks every Python on PATH."""
    changed = json.loads(json.dumps(rules))
    for rule in changed["rules"]:
        if rule["id"] == "python.version":
            rule["values"]["supported"] = ["2.7"]
    return changed


@pytest.mark.parametrize("name", [name for name in list_cases() if (case_dir(name) / "root").is_dir()])
def test_tools_side_by_side_give_the_facts_of_one_call_after_another(rules, name):
    folder = case_dir(name)
    env = {"PATH": str(folder / "bin"), "HOME": "/home/user"}
    env.update(json.loads((folder / "env.json").read_text(encoding="utf-8")))
    for case_rules in (rules, _unsupported_python(rules)):
        together, one_by_one = _probe_both_ways(
            root=str(folder / "root"), env=env, rules=case_rules, platform_info=CASE_PLATFORM
        )
        # Same values, and the same order of keys and GPUs: the JSON is byte for byte the same.
        assert json.dumps(together) == json.dumps(one_by_one)
        assert together["probe_errors"] == {}


@pytest.mark.parametrize("name", ["apple-m1-8gb", "apple-m2-16gb"])
def test_macos_calls_side_by_side_give_the_same_facts(tmp_path, rules, name):
    folder = case_dir(name)
    tools = {"sw_vers": "/bin/cat %s" % (folder / "sw_vers.txt")}
    tools["sysctl"] = '/bin/cat "%s/sysctl-$2.txt"' % folder
    tools["xcode-select"] = "echo /Library/Developer/CommandLineTools"
    (tmp_path / "Library" / "Developer" / "CommandLineTools").mkdir(parents=True)
    for tool, body in tools.items():
        _fake_tool(tmp_path, body, name=tool)
    mac = Platform(system="Darwin", release="23.4.0", machine="arm64")
    together, one_by_one = _probe_both_ways(
        root=str(tmp_path), env={"PATH": str(tmp_path / "bin")}, rules=rules, platform_info=mac
    )
    assert json.dumps(together) == json.dumps(one_by_one)
    assert together["probe_errors"] == {}
    assert together["os"]["apple_silicon"] is True and together["os"]["rosetta"] is False
    assert together["macos"]["xcode_cli"] is True
    assert together["os"]["version"] == parse_sw_vers((folder / "sw_vers.txt").read_text())["ProductVersion"]
    assert [gpu["name"] for gpu in together["gpus"]] == [
        (folder / "sysctl-machdep.cpu.brand_string.txt").read_text().strip()
    ]


def test_every_gpu_tool_call_runs_at_the_same_time(tmp_path):
    """nvidia-smi's two calls and rocm-smi's three each wait until all five have started.

    One after another, the first would wait for the others in vain and fail;
    side by side, all five see each other and print their recorded outputs.
    """
    marks = tmp_path / "started"
    marks.mkdir()
    wait_for_all = (
        'PATH=/usr/bin:/bin; touch "%s/$$"; n=0; while [ "$(ls "%s" | wc -l)" -lt 5 ]; do '
        'n=$((n+1)); [ $n -gt 100 ] && { echo "alone" >&2; exit 1; }; sleep 0.05; done; ' % (marks, marks)
    )
    nvidia, amd = case_dir("rtx-4090"), case_dir("amd-rx-7900-xtx-rocm-smi")
    _fake_tool(
        tmp_path,
        wait_for_all + 'case "$*" in --query-gpu=*) cat "%s/nvidia-smi-query.txt" ;; '
        '*) cat "%s/nvidia-smi.txt" ;; esac' % (nvidia, nvidia),
    )
    _fake_tool(
        tmp_path,
        wait_for_all + 'case "$*" in *showmeminfo*) cat "%s/rocm-smi-vram.json" ;; '
        '*showproductname*) cat "%s/rocm-smi-product.json" ;; '
        '*) cat "%s/rocm-smi-driver.json" ;; esac' % (amd, amd, amd),
        name="rocm-smi",
    )
    facts = gather_facts(
        root=str(tmp_path),
        env={"PATH": str(tmp_path / "bin")},
        platform_info=CASE_PLATFORM,
        only_sections=["nvidia", "amd"],
    )
    assert (facts["nvidia_smi"]["status"], facts["rocm_smi"]["status"]) == ("ok", "ok")
    assert [gpu["vendor"] for gpu in facts["gpus"]] == ["nvidia", "amd"]
    assert facts["gpus"][0]["cuda_version"] is not None and facts["rocm_smi"]["driver_version"] is not None
    assert len(list(marks.iterdir())) == 5


def test_a_probe_raising_leaves_no_tool_running_and_the_others_probed(tmp_path, monkeypatch):
    from checks import probes

    _fake_tool(tmp_path, 'PATH=/usr/bin:/bin; touch "%s/ran-$1"; sleep 1; exit 1' % tmp_path)
    monkeypatch.setattr(probes, "probe_nvidia", lambda facts, context, text=None: 1 / 0)
    facts = gather_facts(
        root=str(case_dir("rtx-4090") / "root"), env={"PATH": str(tmp_path / "bin")}, platform_info=CASE_PLATFORM
    )
    assert facts["probe_errors"] == {"nvidia": "ZeroDivisionError: division by zero"}
    assert facts["os"]["distro"]["id"] == "arch" and facts["gpu_hardware"]["nvidia"] is True
    # Its calls had begun: gather_facts waited for them to end before it returned.
    assert sorted(path.name for path in tmp_path.glob("ran-*")) == [
        "ran-",
        "ran---query-gpu=" + ",".join(__import__("checks.parsers.nvidia_smi", fromlist=["x"]).QUERY_FIELDS),
    ]


def test_a_started_call_that_raises_is_made_again_by_its_probe_and_prints_nothing(monkeypatch, capfd):
    import threading

    import checks.run

    real = checks.run.run_tool

    def raising_in_a_thread(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("broken in a thread")
        return real(*args, **kwargs)

    monkeypatch.setattr(checks.run, "run_tool", raising_in_a_thread)
    escaped = []  # what would reach the terminal as a thread's traceback
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    folder = case_dir("rtx-4090")
    facts = gather_facts(
        root=str(folder / "root"),
        env={"PATH": str(folder / "bin")},
        platform_info=CASE_PLATFORM,
        only_sections=["nvidia"],
    )
    assert facts["probe_errors"] == {} and facts["nvidia_smi"]["status"] == "ok"
    assert facts["gpus"][0]["cuda_version"] is not None
    assert escaped == [] and capfd.readouterr().err == ""


# --- nvidia-smi of every branch, live -----------------------------------------------

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-outputs"
R610 = REAL / "exporter-linux-geforce-rtx-2080-super-610.57.04"


def _replaying_tool(tmp_path, table, query_report, csv="NVIDIA GeForce RTX 2080 SUPER, 8192, 610.57.04, 7.5, [N/A]"):
    """A fake nvidia-smi printing recorded outputs: the CSV for --query-gpu, the report for -q, else the table."""
    (tmp_path / "table.txt").write_text(table, encoding="utf-8")
    (tmp_path / "q.txt").write_text(query_report, encoding="utf-8")
    return _fake_tool(
        tmp_path,
        'case "$1" in\n  --query-gpu=*) echo "%s" ;;\n  -q) /bin/cat "%s" ;;\n  *) /bin/cat "%s" ;;\n'
        'esac' % (csv, tmp_path / "q.txt", tmp_path / "table.txt"),
    )


def test_an_r610_nvidia_smi_gives_driver_and_cuda_from_its_kmd_banner(tmp_path):
    """R610 prints `KMD Version:` and `CUDA UMD Version:`: read by what the values are, it passes."""
    bin_dir = _replaying_tool(tmp_path, (R610 / "nvidia-smi.txt").read_text(encoding="utf-8"), "")
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert [(gpu["driver_version"], gpu["cuda_version"]) for gpu in facts["gpus"]] == [("610.57.04", "13.3")]


def test_a_banner_without_cuda_asks_nvidia_smi_q_before_calling_it_unknown(tmp_path):
    old_table = (REAL / "gtx-1050-ti-384-no-cuda" / "nvidia-smi.txt").read_text(encoding="utf-8")
    bin_dir = _replaying_tool(tmp_path, old_table, (R610 / "nvidia-smi-q.txt").read_text(encoding="utf-8"))
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert [gpu["cuda_version"] for gpu in facts["gpus"]] == ["13.3"]
    assert "nvidia_smi.cuda_version" not in facts["unknown"]


def test_no_cuda_anywhere_is_unknown_with_the_reason(tmp_path):
    na_table = (REAL / "rtx-5070-575-cuda-na" / "nvidia-smi.txt").read_text(encoding="utf-8")
    bin_dir = _replaying_tool(tmp_path, na_table, "Invalid combination of input arguments.")
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert [gpu["cuda_version"] for gpu in facts["gpus"]] == [None]
    assert "CUDA Version: N/A" in facts["unknown"]["nvidia_smi.cuda_version"]


@pytest.mark.parametrize(
    "body, failure",
    [
        ('echo "Failed to initialize NVML: Unknown Error"; exit 255', "nvml-unknown-error"),
        ('echo "Unable to determine the device handle for GPU0000:07:00.0: Unknown Error"; exit 15', "gpu-lost"),
        ('echo "No devices were found"; exit 6', "no-devices"),
        ('echo "something nobody has seen" >&2; exit 9', "driver-not-loaded"),  # by its documented exit code
        ('echo "something nobody has seen" >&2; exit 1', None),
    ],
)
def test_a_live_failure_lands_in_facts_with_its_rules_id(tmp_path, body, failure):
    bin_dir = _fake_tool(tmp_path, body)
    facts = gather_facts(root=str(tmp_path), env={"PATH": str(bin_dir)}, only_sections=["nvidia"])
    assert facts["nvidia_smi"]["status"] == "failed"
    assert facts["nvidia_smi"]["failure"] == failure
