"""The evaluation: hand-built facts for every branch of every check."""

import copy

import pytest

from checks.evaluate import CHECKS, evaluate
from checks.facts import new_facts, new_gpu
from checks.units import parse_size
from rules import load_releases

SITE = "https://example.test/"
MIB = 2**20
KIB = 2**10


def linux_box(**changes):
    """A healthy Linux machine with an 8 GB NVIDIA card; `changes` edit sections."""
    facts = new_facts("probe")
    facts["os"].update(
        system="Linux",
        release="6.8",
        machine="x86_64",
        distro={"id": "ubuntu", "id_like": ["debian"], "version_id": "24.04", "pretty_name": "Ubuntu 24.04 LTS"},
    )
    facts["python"].update(version="3.11.9", executable="/usr/bin/python3", implementation="CPython", bits=64)
    facts["ram"].update(total_bytes=16318040 * KIB, source="/proc/meminfo")
    facts["gpus"] = [nvidia("NVIDIA GeForce RTX 3070", 8192, cc="8.6")]
    facts["gpu_hardware"] = {"nvidia": True, "amd": False}
    facts["nvidia_smi"].update(status="ok", path="/usr/bin/nvidia-smi", exit_code=0)
    facts["rocm_smi"].update(status="missing")
    facts["disk"].update(
        install_dir="/home/u/invokeai",
        measured_path="/home/u",
        free_bytes=400 * 10**9,
        total_bytes=1000 * 10**9,
        rotational=False,
    )
    facts["temp"].update(path="/tmp", fs_type="ext4", is_tmpfs=False, free_bytes=400 * 10**9)
    facts["libs"] = {"libGL.so.1": True, "libglib-2.0.so.0": True}
    for section, values in changes.items():
        if isinstance(facts.get(section), dict) and isinstance(values, dict):
            facts[section].update(values)
        else:
            facts[section] = values
    return facts


def nvidia(name, mib, cc=None, truncated=False, mig=None):
    gpu = new_gpu("nvidia", name, "nvidia-smi")
    gpu.update(
        vram_bytes=mib * MIB if mib is not None else None,
        driver_version="550.54",
        cuda_version="12.4",
        compute_capability=cc,
        name_truncated=truncated,
        mig=mig,
    )
    return gpu


def finding(report, rule_id):
    return next(item for item in report["findings"] if item["id"] == rule_id)


def model(report, family_id):
    return next(item for item in report["models"] if item["id"] == family_id)


def run(rules, facts):
    return evaluate(facts, rules, SITE)


# --- the report --------------------------------------------------------------


def test_a_healthy_machine_is_ready(rules):
    report = run(rules, linux_box())
    assert report["summary"]["verdict"] == "ready"
    assert report["summary"]["exit_code"] == 0
    # An NVIDIA box on Linux: the AMD driver and the Windows and macOS rules do not apply; everything else passes.
    assert dict((item["id"], item["status"]) for item in report["findings"] if item["status"] != "pass") == {
        "driver.amd": "na",
        "windows.long_paths": "na",
        "windows.vc_runtime": "na",
        "macos.xcode_cli": "na",
        "python.certificates": "na",
    }
    assert report["summary"]["na"] == 5 and report["summary"]["pass"] == len(report["findings"]) - 5
    assert all(item["fix"] is None for item in report["findings"])


def test_every_checked_rule_gets_one_finding_and_documentation_rules_none(rules):
    report = run(rules, linux_box())
    checked = [rule["id"] for rule in rules["rules"] if rule.get("check", True)]
    assert [item["id"] for item in report["findings"]] == checked
    assert "installer.latest" not in [item["id"] for item in report["findings"]]
    # The checker holds one check for every rule any release checks (os.version is 5.6.0's), and no other.
    releases = load_releases()
    every_release = set(
        rule["id"] for version in releases for rule in releases[version]["rules"] if rule.get("check", True)
    )
    assert set(checked) <= set(CHECKS) == every_release


def test_docs_link_to_the_rule_on_its_page(rules):
    report = run(rules, linux_box())
    assert finding(report, "ram.total")["docs"] == SITE + "requirements/#ram.total"
    changed = copy.deepcopy(rules)
    next(rule for rule in changed["rules"] if rule["id"] == "ram.total")["page"] = "index.md"
    assert (
        finding(evaluate(linux_box(), changed, "https://example.test"), "ram.total")["docs"]
        == "https://example.test/#ram.total"
    )


def test_an_exception_in_one_check_is_an_error_finding_and_the_others_still_run(rules, monkeypatch):
    def broken(check):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(CHECKS, "disk.ssd", CHECKS["disk.ssd"]._replace(function=broken))
    report = run(rules, linux_box())
    error = finding(report, "disk.ssd")
    assert error["status"] == "error" and "ZeroDivisionError" in error["detail"] and "boom" in error["detail"]
    assert finding(report, "ram.total")["status"] == "pass"
    assert report["summary"]["error"] == 1 and report["summary"]["verdict"] == "incomplete"
    assert report["summary"]["exit_code"] == 0


def test_a_probe_error_makes_the_checks_of_its_section_errors(rules):
    facts = linux_box(probe_errors={"ram": "PermissionError: /proc/meminfo", "amd": "OSError: sysfs"})
    report = run(rules, facts)
    assert finding(report, "ram.total")["status"] == "error"
    assert "/proc/meminfo" in finding(report, "ram.total")["detail"]
    assert finding(report, "driver.amd")["status"] == "error"
    assert finding(report, "disk.free")["status"] == "pass"
    assert finding(report, "driver.nvidia")["status"] == "pass"


def test_a_failure_sets_exit_code_1_and_warnings_do_not(rules):
    warned = run(rules, linux_box(disk={"rotational": True}))
    assert warned["summary"]["verdict"] == "ready-with-warnings" and warned["summary"]["exit_code"] == 0
    failed = run(rules, linux_box(ram={"total_bytes": 8 * 10**9}))
    assert failed["summary"]["verdict"] == "not-ready" and failed["summary"]["exit_code"] == 1
    assert failed["summary"]["fail"] == 1


def test_only_limits_the_findings(rules):
    report = evaluate(linux_box(), rules, SITE, only=["ram.total"])
    assert [item["id"] for item in report["findings"]] == ["ram.total"]


# --- sizes compare in decimal units -------------------------------------------


def test_a_card_sold_as_8_gb_passes_8_gb_and_a_6_gb_card_fails_it(rules):
    assert model(run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3070", 8151)])), "sdxl")["status"] == "pass"
    assert model(run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce RTX 2060", 6144)])), "sdxl")["status"] == "fail"


def test_ram_of_a_16_gb_machine_passes_and_of_an_8_gb_machine_fails(rules):
    sixteen = run(rules, linux_box(ram={"total_bytes": 16318040 * KIB}))
    eight = run(rules, linux_box(ram={"total_bytes": 8052428 * KIB}))
    assert finding(sixteen, "ram.total")["status"] == "pass"
    ram = finding(eight, "ram.total")
    assert ram["status"] == "fail" and "12 GB" in ram["detail"] and ram["fix"]


def test_a_container_limit_below_the_ram_counts(rules):
    ram = finding(run(rules, linux_box(ram={"cgroup_limit_bytes": 4 * 10**9})), "ram.total")
    assert ram["status"] == "fail" and "container" in ram["detail"]


def test_unmeasured_ram_is_unknown_with_the_probes_reason(rules):
    facts = linux_box(ram={"total_bytes": None}, unknown={"ram.total_bytes": "/proc/meminfo unreadable"})
    ram = finding(run(rules, facts), "ram.total")
    assert ram["status"] == "unknown" and ram["detail"] == "/proc/meminfo unreadable"


# --- GPU ---------------------------------------------------------------------


def test_no_gpu_warns_that_invoke_runs_on_the_cpu(rules):
    report = run(
        rules, linux_box(gpus=[], gpu_hardware={"nvidia": False, "amd": False}, nvidia_smi={"status": "missing"})
    )
    dedicated = finding(report, "gpu.dedicated")
    assert dedicated["status"] == "warn" and "CPU" in dedicated["detail"] and "slower" in dedicated["detail"]
    assert finding(report, "gpu.vram")["status"] == "na"
    assert all(item["status"] == "warn" and "CPU" in item["reason"] for item in report["models"])
    # Rules that do not apply read as not applicable, not as passes.
    assert finding(report, "driver.nvidia")["status"] == "na"
    assert "not needed" in finding(report, "driver.nvidia")["detail"]
    assert finding(report, "gpu.problematic")["status"] == "na"


def test_the_without_gpu_status_comes_from_the_rules(rules):
    changed = copy.deepcopy(rules)
    next(rule for rule in changed["rules"] if rule["id"] == "gpu.dedicated")["values"]["without_gpu"] = "fail"
    report = evaluate(linux_box(gpus=[], gpu_hardware={"nvidia": False}), changed, SITE)
    assert finding(report, "gpu.dedicated")["status"] == "fail"


def test_an_intel_gpu_is_not_dedicated(rules):
    intel = new_gpu("intel", "Intel UHD Graphics 620", "sysfs")
    dedicated = finding(run(rules, linux_box(gpus=[intel], gpu_hardware={"nvidia": False})), "gpu.dedicated")
    assert dedicated["status"] == "warn" and "Intel UHD Graphics 620" in dedicated["detail"]


def test_gtx_1660_super_fails_sdxl_with_the_reason(rules):
    report = run(rules, linux_box(gpus=[nvidia("GeForce GTX 1660 SUPER", 5936, cc="7.5")]))
    sdxl = model(report, "sdxl")
    assert sdxl["status"] == "fail"
    assert (
        sdxl["reason"]
        == "Stable Diffusion XL needs 8 GB VRAM on NVIDIA; GeForce GTX 1660 SUPER is a 6 GB card (5936 MiB)."
    )
    assert "5936 MiB" in finding(report, "gpu.vram")["detail"]


def test_gtx_1650_and_1660_get_one_verdict_and_one_reason(rules):
    """Not "enough for SD 1.5" beside "too little VRAM at full precision": every part says the same."""
    for name, mib in (("NVIDIA GeForce GTX 1650", 4096), ("GeForce GTX 1660 SUPER", 5936)):
        report = run(rules, linux_box(gpus=[nvidia(name, mib, cc="7.5")]))
        vram, problematic = finding(report, "gpu.vram"), finding(report, "gpu.problematic")
        sd15 = model(report, "sd-1.5")
        assert vram["status"] == problematic["status"] == sd15["status"] == "warn", name
        assert "full precision" in vram["detail"] and "full precision" in problematic["detail"]
        assert "full precision" in sd15["reason"]
        assert "enough for Stable Diffusion 1.5" not in vram["detail"].replace("not enough for", "")
        assert "not enough for Stable Diffusion 1.5 (8 GB at full precision on NVIDIA)" in vram["detail"]


def test_vram_below_every_family_fails(rules):
    vram = finding(run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce GT 1030", 2048)])), "gpu.vram")
    assert vram["status"] == "fail"


def test_the_best_gpu_counts(rules):
    report = run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce GT 1030", 2048), nvidia("NVIDIA RTX A4000", 16376)]))
    assert finding(report, "gpu.vram")["status"] == "pass"
    assert "RTX A4000" in model(report, "sdxl")["reason"]


def test_unknown_vram_is_unknown(rules):
    report = run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3070", None)]))
    assert finding(report, "gpu.vram")["status"] == "unknown"
    assert all(item["status"] == "unknown" for item in report["models"])


def test_mig_says_the_memory_is_the_whole_card(rules):
    vram = finding(run(rules, linux_box(gpus=[nvidia("NVIDIA A100-SXM4-80GB", 81920, mig=True)])), "gpu.vram")
    assert "MIG" in vram["detail"] and "slice" in vram["detail"]


def test_a_whole_card_beats_a_mig_card_of_the_same_size(rules):
    cards = [nvidia("NVIDIA A100-PCIE-40GB", 40960, mig=True), nvidia("NVIDIA A100-PCIE-40GB", 40960, mig=False)]
    vram = finding(run(rules, linux_box(gpus=cards)), "gpu.vram")
    assert vram["status"] == "pass" and "MIG" not in vram["detail"]


def test_a_mac_is_judged_by_its_memory_against_the_mac_requirement(rules):
    apple = new_gpu("apple", "Apple M2", "sysctl")
    sixteen = linux_box(
        os={"system": "Darwin", "apple_silicon": True, "distro": None}, gpus=[apple], ram={"total_bytes": 16 * 2**30}
    )
    report = run(rules, sixteen)
    vram = finding(report, "gpu.vram")
    assert "estimate" not in vram["detail"] and "16 GB on Mac" in vram["detail"]
    mac_need = parse_size(next(f for f in rules["model_families"] if f["id"] == "sdxl")["min_memory"]["mps"])
    assert model(report, "sdxl")["status"] == ("pass" if 16 * 2**30 >= mac_need else "fail")
    assert finding(report, "libs.opencv")["status"] == "na"
    assert finding(report, "libs.opencv")["detail"] == "Not needed on macOS."
    eight = copy.deepcopy(sixteen)
    eight["ram"]["total_bytes"] = 8 * 2**30
    assert model(run(rules, eight), "sdxl")["status"] == "fail"
    assert model(run(rules, eight), "sd-1.5")["status"] == "pass"


PROBLEMATIC = [
    ("NVIDIA GeForce GTX 1080 Ti", "10xx"),
    ("GeForce GTX 1060 6GB", "10xx"),
    ("NVIDIA GeForce GTX 1050 Ti with Max-Q Design", "10xx"),
    ("NVIDIA GeForce GTX 1650 with Max-Q Design", "1650"),
    ("NVIDIA GeForce GTX 1650 Ti", "1650"),
    ("NVIDIA GeForce GTX 1660 SUPER", "1660"),
    ("NVIDIA GeForce GTX 1660 Ti Laptop GPU", "1660"),
    ("GeForce GTX 166...", "1660"),
    ("Quadro P4000", "Pascal"),
    ("NVIDIA GeForce MX150", "Pascal"),
]


@pytest.mark.parametrize("name,series", PROBLEMATIC)
def test_problematic_gpus_are_named_with_their_series(rules, name, series):
    truncated = name.endswith("...")
    problematic = finding(run(rules, linux_box(gpus=[nvidia(name, 6144, truncated=truncated)])), "gpu.problematic")
    assert problematic["status"] == "warn"
    assert name in problematic["detail"] and series in problematic["detail"]


@pytest.mark.parametrize(
    "name",
    [
        "NVIDIA GeForce RTX 2060",
        "NVIDIA GeForce RTX 3060",
        "NVIDIA GeForce RTX 4090",
        "Tesla T4",
        "NVIDIA GeForce RTX 3060 Lap...",
    ],
)
def test_other_gpus_are_not_problematic(rules, name):
    gpu = nvidia(name, 12288, cc="8.6", truncated=name.endswith("..."))
    assert finding(run(rules, linux_box(gpus=[gpu])), "gpu.problematic")["status"] == "pass"


def test_compute_capability_6_1_has_the_same_flaw(rules):
    problematic = finding(run(rules, linux_box(gpus=[nvidia("NVIDIA P106-100", 6144, cc="6.1")])), "gpu.problematic")
    assert problematic["status"] == "warn" and "Pascal" in problematic["detail"]


def test_a_name_cut_before_the_model_is_unknown_with_the_command_to_see_it(rules):
    problematic = finding(
        run(rules, linux_box(gpus=[nvidia("NVIDIA GeForce ...", 6144, truncated=True)])), "gpu.problematic"
    )
    assert problematic["status"] == "unknown"
    assert "nvidia-smi --query-gpu=name --format=csv" in problematic["fix"]


def test_the_problematic_status_comes_from_the_rules(rules):
    changed = copy.deepcopy(rules)
    next(rule for rule in changed["rules"] if rule["id"] == "gpu.problematic")["values"]["status"] = "fail"
    report = evaluate(linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1080", 8192)]), changed, SITE)
    assert finding(report, "gpu.problematic")["status"] == "fail"


# --- model families come from the rules -----------------------------------------


def test_a_new_family_in_the_rules_gets_a_verdict_with_no_code_change(rules):
    changed = copy.deepcopy(rules)
    changed["model_families"].append(
        {"id": "flux", "name": "FLUX", "min_memory": {"cuda": "10 GB", "rocm": "10 GB", "mps": "32 GB"}}
    )
    report = evaluate(linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3070", 8192)]), changed, SITE)
    flux = model(report, "flux")
    assert flux["status"] == "fail" and flux["reason"].startswith("FLUX needs 10 GB VRAM on NVIDIA")
    assert "FLUX (10 GB on NVIDIA)" in finding(report, "gpu.vram")["detail"]
    assert [item["id"] for item in report["models"]] == [f["id"] for f in changed["model_families"]]


# --- disk and temp ------------------------------------------------------------------


def test_a_spinning_disk_gets_the_rules_status_and_unknown_when_not_told(rules):
    assert finding(run(rules, linux_box(disk={"rotational": True})), "disk.ssd")["status"] == "warn"
    assert finding(run(rules, linux_box(disk={"rotational": None})), "disk.ssd")["status"] == "unknown"


def disk_values(rules):
    return next(rule for rule in rules["rules"] if rule["id"] == "disk.free")["values"]


@pytest.mark.parametrize(
    "facts_changes,backend",
    [
        ({}, "cuda"),
        ({"gpus": [], "gpu_hardware": {"nvidia": False, "amd": True}}, "rocm"),
        ({"gpus": [], "gpu_hardware": {"nvidia": False, "amd": False}}, "cpu"),
    ],
)
def test_disk_free_thresholds_follow_the_backend(rules, facts_changes, backend):
    values = disk_values(rules)
    base = parse_size(values["base_install"][backend]) + parse_size(values["images"])
    full = base + parse_size(values["models"])
    for free, status in ((base - 1, "fail"), (base, "warn"), (full - 1, "warn"), (full, "pass")):
        changes = dict(facts_changes, disk={"free_bytes": free})
        disk = finding(run(rules, linux_box(**changes)), "disk.free")
        assert disk["status"] == status, (backend, free)
        assert "/home/u" in disk["detail"]


def test_apple_silicon_uses_the_mps_size(rules):
    values = disk_values(rules)
    base = parse_size(values["base_install"]["mps"]) + parse_size(values["images"])
    facts = linux_box(
        os={"system": "Darwin", "apple_silicon": True},
        gpus=[new_gpu("apple", "Apple M1", "sysctl")],
        gpu_hardware={"nvidia": False, "amd": False},
        disk={"free_bytes": base},
    )
    assert finding(run(rules, facts), "disk.free")["status"] == "warn"


def test_a_small_tmpfs_fails_with_both_fixes(rules):
    tmp = finding(
        run(rules, linux_box(temp={"is_tmpfs": True, "fs_type": "tmpfs", "free_bytes": 4 * 10**9})), "tmp.space"
    )
    values = next(rule for rule in rules["rules"] if rule["id"] == "tmp.space")["values"]
    assert tmp["status"] == "fail"
    assert "TMPDIR=%s" % values["alternative_dir"] in tmp["fix"]
    assert "sudo mount -o remount,size=%s /tmp" % values["remount_size"] in tmp["fix"]


def test_a_roomy_tmpfs_and_a_disk_temp_pass(rules):
    roomy = run(rules, linux_box(temp={"is_tmpfs": True, "free_bytes": 16 * 10**9}))
    assert finding(roomy, "tmp.space")["status"] == "pass"
    on_disk = finding(run(rules, linux_box()), "tmp.space")
    assert on_disk["status"] == "pass" and "on disk" in on_disk["detail"] and "not in RAM" in on_disk["detail"]
    assert "tmpfs" not in on_disk["detail"]


# --- Python and libraries -------------------------------------------------------------


def test_a_supported_python_passes(rules):
    assert finding(run(rules, linux_box(python={"version": "3.10.12"})), "python.version")["status"] == "pass"


def test_an_unsupported_python_with_a_supported_one_installed_warns_where_it_is(rules):
    facts = linux_box(python={"version": "3.12.3", "others": [{"version": "3.11.9", "path": "/usr/bin/python3.11"}]})
    python = finding(run(rules, facts), "python.version")
    assert python["status"] == "warn"
    assert "/usr/bin/python3.11" in python["detail"] and "/usr/bin/python3.11" in python["fix"]


@pytest.mark.parametrize("system,guide", [("Linux", "linux"), ("Darwin", "macos"), ("Windows", "windows")])
def test_an_unsupported_python_fails_with_the_guide_for_the_os(rules, system, guide):
    values = next(rule for rule in rules["rules"] if rule["id"] == "python.version")["values"]
    python = finding(run(rules, linux_box(os={"system": system}, python={"version": "3.8.10"})), "python.version")
    assert python["status"] == "fail"
    assert values["install_guides"][guide] in python["fix"]
    assert "Python %s" % values["recommended"] in python["fix"]


def test_missing_opencv_libraries_give_the_distros_command_for_only_those(rules):
    libs = finding(run(rules, linux_box(libs={"libGL.so.1": False, "libglib-2.0.so.0": True})), "libs.opencv")
    assert libs["status"] == "fail" and "libGL.so.1" in libs["detail"]
    assert "sudo apt update && sudo apt install -y libgl1" in libs["fix"]
    assert "libglib2.0-0" not in libs["fix"]


def test_the_package_manager_is_found_through_id_like(rules):
    facts = linux_box(
        os={"distro": {"id": "ultramarine", "id_like": ["fedora"]}},
        libs={"libGL.so.1": False, "libglib-2.0.so.0": False},
    )
    libs = finding(run(rules, facts), "libs.opencv")
    assert "sudo dnf install -y mesa-libGL glib2" in libs["fix"]


def test_an_unknown_distro_names_the_packages_for_each_manager(rules):
    facts = linux_box(os={"distro": {"id": "gentoo", "id_like": []}}, libs={"libGL.so.1": False})
    fix = finding(run(rules, facts), "libs.opencv")["fix"]
    assert "apt: libgl1" in fix and "pacman: libglvnd" in fix and "dnf: mesa-libGL" in fix


def test_opencv_libraries_are_not_needed_off_linux(rules):
    facts = linux_box(os={"system": "Windows", "distro": None}, libs={})
    item = finding(run(rules, facts), "libs.opencv")
    assert item["status"] == "na" and item["detail"] == "Not needed on Windows." and item["fix"] is None


# --- drivers ----------------------------------------------------------------------------


def nvidia_failure(message, gpus=(), on_bus=True):
    return linux_box(
        gpus=list(gpus),
        gpu_hardware={"nvidia": on_bus},
        nvidia_smi={"status": "failed", "message": message, "exit_code": 9},
    )


FAILURE_IDS = [
    "driver-not-loaded",
    "driver-library-mismatch",
    "nvml-missing",
    "nvml-unknown-error",
    "gpu-lost",
    "no-devices",
]


@pytest.mark.parametrize("failure_id", FAILURE_IDS)
def test_a_known_nvidia_smi_failure_gives_its_title_and_fix(rules, failure_id):
    failures = next(rule for rule in rules["rules"] if rule["id"] == "driver.nvidia")["values"]["failures"]
    failure = next(item for item in failures if item["id"] == failure_id)
    message = "NVIDIA-SMI has failed: %s. Make sure..." % failure["match"]
    driver = finding(run(rules, nvidia_failure(message)), "driver.nvidia")
    assert driver["status"] == "fail"
    assert driver["detail"].startswith(failure["title"]) and driver["fix"] == failure["fix"]


def test_an_unknown_nvidia_smi_failure_fails_with_the_install_url(rules):
    driver = finding(run(rules, nvidia_failure("Segmentation fault")), "driver.nvidia")
    assert driver["status"] == "fail" and "Segmentation fault" in driver["detail"]
    assert "https://" in driver["fix"]


def test_an_nvidia_gpu_on_the_bus_without_nvidia_smi_fails(rules):
    facts = linux_box(gpus=[], gpu_hardware={"nvidia": True}, nvidia_smi={"status": "missing"})
    values = next(rule for rule in rules["rules"] if rule["id"] == "driver.nvidia")["values"]
    driver = finding(run(rules, facts), "driver.nvidia")
    assert driver["status"] == "fail" and values["install_url"] in driver["fix"]


def test_nvidia_smi_without_a_cuda_version_is_unknown_naming_the_driver(rules):
    gpu = nvidia("NVIDIA GeForce RTX 3070", 8192)
    gpu["cuda_version"] = None
    facts = linux_box(gpus=[gpu])
    facts["unknown"]["nvidia_smi.cuda_version"] = "the CUDA version is not in this output"
    driver = finding(run(rules, facts), "driver.nvidia")
    assert driver["status"] == "unknown"
    assert driver["detail"] == "Driver %s; the CUDA version is not in this output." % gpu["driver_version"]
    assert "nvidia-smi" in driver["fix"]


@pytest.mark.parametrize("failure_id", FAILURE_IDS)
def test_a_failing_driver_leaves_every_gpu_finding_and_model_unknown(rules, failure_id):
    facts = nvidia_failure("some message", on_bus=None)
    facts["nvidia_smi"]["failure"] = failure_id
    report = evaluate(facts, rules, SITE)
    for rule_id in ("gpu.dedicated", "gpu.vram", "gpu.problematic"):
        item = finding(report, rule_id)
        assert item["status"] == "unknown" and "driver" in item["detail"], item
    assert finding(report, "driver.nvidia")["status"] == "fail"
    assert set(model["status"] for model in report["models"]) == {"unknown"}


def test_every_failure_the_parser_names_has_a_title_and_fix_in_the_rules(rules):
    from checks.parsers.nvidia_smi import FAILURE_EXIT_CODES, FAILURES, classify_failure

    failures = next(rule for rule in rules["rules"] if rule["id"] == "driver.nvidia")["values"]["failures"]
    assert sorted(item["id"] for item in failures) == sorted(failure for failure, _ in FAILURES)
    assert set(FAILURE_EXIT_CODES.values()) <= set(failure for failure, _ in FAILURES)
    for item in failures:  # the words the page shows are recognised as that failure
        assert classify_failure(item["match"]) == item["id"], item


def test_nvidia_smi_with_versions_passes_naming_them(rules):
    driver = finding(run(rules, linux_box()), "driver.nvidia")
    assert driver["status"] == "pass" and "550.54" in driver["detail"] and "12.4" in driver["detail"]


def amd_gpu():
    gpu = new_gpu("amd", "Radeon RX 7900 XTX", "rocm-smi")
    gpu["vram_bytes"] = 24 * 2**30
    return gpu


def test_an_amd_gpu_off_linux_fails_rocm_is_linux_only(rules):
    facts = linux_box(
        os={"system": "Windows", "distro": None},
        gpus=[amd_gpu()],
        gpu_hardware={"nvidia": False, "amd": True},
        nvidia_smi={"status": "missing"},
    )
    amd = finding(run(rules, facts), "driver.amd")
    assert amd["status"] == "fail" and "Linux only" in amd["detail"]


def test_amd_on_linux_without_rocm_smi_fails_with_install_and_docker(rules):
    values = next(rule for rule in rules["rules"] if rule["id"] == "driver.amd")["values"]
    facts = linux_box(
        gpus=[amd_gpu()],
        gpu_hardware={"nvidia": False, "amd": True},
        nvidia_smi={"status": "missing"},
        rocm_smi={"status": "missing"},
    )
    amd = finding(run(rules, facts), "driver.amd")
    assert amd["status"] == "fail"
    assert values["install_url"] in amd["fix"] and values["docker_url"] in amd["fix"]


def test_amd_with_rocm_versions_passes_and_no_amd_is_not_needed(rules):
    facts = linux_box(
        gpus=[amd_gpu()],
        gpu_hardware={"nvidia": False, "amd": True},
        nvidia_smi={"status": "missing"},
        rocm_smi={"status": "ok", "driver_version": "6.7.0", "rocm_version": "6.1.2"},
    )
    report = run(rules, facts)
    assert finding(report, "driver.amd")["status"] == "pass"
    assert "for the AMD (ROCm) install" in finding(report, "disk.free")["detail"]
    no_amd = finding(run(rules, linux_box()), "driver.amd")
    assert no_amd["status"] == "na" and "not needed" in no_amd["detail"]


def test_backend_ids_do_not_leak_into_prose(rules):
    cpu_only = run(
        rules, linux_box(gpus=[], gpu_hardware={"nvidia": False, "amd": False}, nvidia_smi={"status": "missing"})
    )
    detail = finding(cpu_only, "disk.free")["detail"]
    assert "for the CPU-only install" in detail and "cpu install" not in detail


# --- what a browser can't tell ------------------------------------------------------------


def test_a_browser_cannot_tell_ram_or_python_and_leaves_the_call_to_action_to_the_report(rules):
    facts = new_facts("browser")
    facts["os"]["system"] = "Windows"
    facts["gpus"] = [nvidia("NVIDIA GeForce GTX 1660 Ti", None)]
    report = run(rules, facts)
    for rule_id in ("ram.total", "python.version", "disk.free", "gpu.vram"):
        item = finding(report, rule_id)
        assert item["status"] == "unknown", rule_id
        assert item["detail"] == "A browser can't tell this"
        # No "run the script" on each finding: the page ends with one command for all of them.
        assert item["fix"] is None
    assert finding(report, "gpu.problematic")["status"] == "warn"
    assert finding(report, "gpu.dedicated")["status"] == "pass"


def test_an_nvidia_gpu_with_a_broken_driver_is_there_but_its_vram_unknown(rules):
    facts = nvidia_failure("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")
    report = run(rules, facts)
    assert finding(report, "gpu.dedicated")["status"] == "pass"
    assert finding(report, "gpu.vram")["status"] == "unknown"
    assert finding(report, "gpu.problematic")["status"] == "unknown"
    assert all(item["status"] == "unknown" for item in report["models"])
    assert finding(report, "driver.nvidia")["status"] == "fail"


def test_too_little_ram_under_wsl_says_how_to_give_it_more(rules):
    ram = finding(run(rules, linux_box(os={"wsl": True}, ram={"total_bytes": 8 * 10**9})), "ram.total")
    assert ram["status"] == "fail" and ".wslconfig" in ram["detail"]


def test_a_pasted_nvidia_smi_output_says_what_it_cannot_tell_and_how_to_find_out(rules):
    facts = new_facts("nvidia-smi")
    report = evaluate(facts, rules, "https://example.invalid/")
    ram = next(item for item in report["findings"] if item["id"] == "ram.total")
    assert ram["status"] == "unknown"
    assert ram["detail"].startswith("A pasted nvidia-smi output doesn't say this")
    assert ram["fix"] is None
