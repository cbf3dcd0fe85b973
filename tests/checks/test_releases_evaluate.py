"""One machine, judged against each release's requirements: the verdicts that differ, and why.

The machines are built with test_evaluate's builders; the rules are each
release's, resolved by the loader (rules.load_releases).
"""

import copy

import pytest

from checks.evaluate import evaluate
from checks.facts import new_gpu
from checks.findings import STATUSES
from checks.units import parse_size
from rules import load_releases
from tests.checks.test_evaluate import MIB, SITE, linux_box, nvidia
from tools.corpus import facts_for_case, list_cases

OLD, MID, NEW = "4.2.4", "5.6.0", "6.13.8"
MODEL_STATUSES = ("pass", "warn", "fail", "unknown")


@pytest.fixture(scope="module")
def releases():
    return load_releases()


def report_for(releases, version, facts):
    return evaluate(facts, releases[version], SITE)


def finding(report, rule_id):
    found = [item for item in report["findings"] if item["id"] == rule_id]
    return found[0] if found else None


def model(report, family_id):
    found = [item for item in report["models"] if item["id"] == family_id]
    return found[0] if found else None


def rule_of(rules, rule_id):
    return next(rule for rule in rules["rules"] if rule["id"] == rule_id)


def family_of(rules, family_id):
    return next(family for family in rules["model_families"] if family["id"] == family_id)


def mac(memory_gib, chip="Apple M1", version="14.5"):
    return linux_box(
        os={"system": "Darwin", "release": "23.5.0", "version": version, "apple_silicon": True, "distro": None},
        gpus=[new_gpu("apple", chip, "sysctl")],
        gpu_hardware={"nvidia": False, "amd": False},
        ram={"total_bytes": memory_gib * 2**30},
    )


def amd(name, mib):
    gpu = new_gpu("amd", name, "rocm-smi")
    gpu.update(vram_bytes=mib * MIB)
    return gpu


def amd_box(mib):
    return linux_box(
        gpus=[amd("AMD Radeon RX 7600", mib)],
        gpu_hardware={"nvidia": False, "amd": True},
        nvidia_smi={"status": "missing"},
        rocm_smi={"status": "ok", "driver_version": "6.7.0", "rocm_version": "6.1.2"},
    )


# --- the problematic GPUs: listed in 4.2.4, gone in 5.6.0 ------------------------------


def test_a_gtx_1660_ti_is_problematic_in_4_2_4_and_judged_by_its_vram_alone_in_5_6(releases):
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1660 Ti", 6144, cc="7.5")])
    old, mid = report_for(releases, OLD, facts), report_for(releases, MID, facts)
    assert finding(old, "gpu.problematic")["status"] == "warn"
    assert model(old, "sd-1.5")["status"] == "warn" and "full precision" in model(old, "sd-1.5")["reason"]
    # 5.6.0 lists no problematic GPUs: no finding, and nothing of full precision anywhere.
    assert finding(mid, "gpu.problematic") is None
    assert "full precision" not in finding(mid, "gpu.vram")["detail"]
    assert model(mid, "sd-1.5")["status"] == "pass"
    sdxl = model(mid, "sdxl")
    assert sdxl["status"] == "fail"
    assert sdxl["reason"].startswith(
        "Stable Diffusion XL needs 8 GB VRAM on NVIDIA; NVIDIA GeForce GTX 1660 Ti is a 6 GB card (6144 MiB)."
    )
    # Its 16 GB of RAM meet SDXL's 16 GB: the VRAM alone decides.
    assert "needs 16 GB of RAM; this machine has 16 GB." in sdxl["reason"]


# --- a family's RAM ------------------------------------------------------------------


def test_flux_fails_on_ram_in_5_6_for_an_rtx_3060_with_16_gb(releases):
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3060", 12288, cc="8.6")])
    assert model(report_for(releases, OLD, facts), "flux") is None  # 4.2.4 has no FLUX
    report = report_for(releases, MID, facts)
    flux = model(report, "flux")
    assert flux["status"] == "fail"
    # The deciding reason first; the VRAM, which suffices, after it.
    assert flux["reason"].startswith("FLUX needs 32 GB of RAM; this machine has 16 GB.")
    assert "FLUX needs 10 GB VRAM on NVIDIA" in flux["reason"]
    assert model(report, "sdxl")["status"] == "pass"
    assert finding(report, "ram.total") is None  # 5.6.0 states RAM per family only


def test_a_container_limit_counts_against_a_familys_ram(releases):
    facts = linux_box(
        gpus=[nvidia("NVIDIA GeForce RTX 4090", 24564, cc="8.9")],
        ram={"total_bytes": 64 * 10**9, "cgroup_limit_bytes": 8 * 10**9},
    )
    sdxl = model(report_for(releases, MID, facts), "sdxl")
    assert sdxl["status"] == "fail" and "this container may use only 8 GB" in sdxl["reason"]


def test_unknown_ram_leaves_a_family_with_a_ram_requirement_unknown(releases):
    facts = linux_box(
        gpus=[nvidia("NVIDIA GeForce RTX 4090", 24564, cc="8.9")],
        ram={"total_bytes": None},
        unknown={"ram.total_bytes": "/proc/meminfo unreadable"},
    )
    report = report_for(releases, MID, facts)
    flux = model(report, "flux")
    assert flux["status"] == "unknown" and "/proc/meminfo unreadable" in flux["reason"]
    # 4.2.4's families state no RAM: the GPU alone decides there.
    assert model(report_for(releases, OLD, facts), "sdxl")["status"] == "pass"


def test_too_little_ram_for_a_family_under_wsl_says_how_to_give_it_more(releases):
    facts = linux_box(os={"wsl": True}, ram={"total_bytes": 8 * 10**9})
    sdxl = model(report_for(releases, MID, facts), "sdxl")
    assert sdxl["status"] == "fail" and ".wslconfig" in sdxl["reason"]


def test_without_a_gpu_a_familys_ram_still_decides(releases):
    facts = linux_box(gpus=[], gpu_hardware={"nvidia": False, "amd": False}, nvidia_smi={"status": "missing"})
    report = report_for(releases, MID, facts)
    assert model(report, "sd-1.5")["status"] == "warn"  # 16 GB meets 8 GB: it runs on the CPU
    assert model(report, "flux")["status"] == "fail"  # 16 GB is short of 32 GB


# --- the NVIDIA series a family needs (min_nvidia) -------------------------------------


def test_a_gtx_1080_ti_in_6_13_8_fails_torch_and_every_family(releases):
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1080 Ti", 11264, cc="6.1")], ram={"total_bytes": 32 * 10**9})
    new = report_for(releases, NEW, facts)
    torch = finding(new, "gpu.torch")
    oldest = rule_of(releases[NEW], "gpu.torch")["values"]["oldest_architecture"]
    assert torch["status"] == "fail" and "older than" in torch["detail"] and oldest in torch["detail"]
    sd15 = model(new, "sd-1.5")
    assert sd15["status"] == "fail" and "no kernel image" in sd15["reason"]
    # In 5.6.0 its torch carries compute capability 6.1, and SD 1.5 asks for a GTX 10xx: it runs.
    assert finding(report_for(releases, MID, facts), "gpu.torch")["status"] == "pass"
    assert model(report_for(releases, MID, facts), "sd-1.5")["status"] == "pass"
    # 4.2.4: it is a problematic GPU, run at full precision.
    assert model(report_for(releases, OLD, facts), "sd-1.5")["status"] == "warn"


def test_a_family_that_needs_a_newer_series_fails_naming_it(releases):
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1080 Ti", 11264, cc="6.1")], ram={"total_bytes": 32 * 10**9})
    sdxl = model(report_for(releases, MID, facts), "sdxl")
    series = family_of(releases[MID], "sdxl")["min_nvidia"]["series"]
    assert sdxl["status"] == "fail"
    assert sdxl["reason"].startswith("Stable Diffusion XL needs an %s or newer (compute capability 7.5)" % series)
    assert "NVIDIA GeForce GTX 1080 Ti is compute capability 6.1" in sdxl["reason"]
    # An RTX 3060 is short of FLUX.2 Klein 9B's RTX 40xx in 6.13.8, though it passes Klein 4B's RTX 30xx.
    rtx = linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3060", 12288, cc="8.6")], ram={"total_bytes": 32 * 10**9})
    new = report_for(releases, NEW, rtx)
    assert model(new, "flux2-klein-9b")["status"] == "fail" and "RTX 40xx" in model(new, "flux2-klein-9b")["reason"]
    assert model(new, "flux2-klein-4b")["status"] == "pass"


def test_a_gpu_the_installer_leaves_unused_gets_no_series_verdict(releases):
    # On aarch64 outside macOS the installer sets up CPU torch: the card's series does not matter.
    facts = linux_box(os={"machine": "aarch64"}, gpus=[nvidia("NVIDIA GeForce GTX 1080 Ti", 11264, cc="6.1")])
    sdxl = model(report_for(releases, MID, facts), "sdxl")
    assert sdxl["status"] == "warn" and "CPU" in sdxl["reason"] and "RTX 20xx" not in sdxl["reason"]


def test_an_unknown_compute_capability_is_not_guessed_from_the_name(releases):
    # No compute capability reported, and the by-name table knows no GTX 10xx: the series line says nothing.
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1080 Ti", 11264, cc=None)], ram={"total_bytes": 32 * 10**9})
    sdxl = model(report_for(releases, MID, facts), "sdxl")
    assert sdxl["status"] == "pass" and "compute capability" not in sdxl["reason"]


def test_a_compute_capability_known_by_name_counts(releases):
    changed = copy.deepcopy(releases[MID])
    rule_of(changed, "gpu.torch")["values"]["by_name"].append(
        {"pattern": r"GTX\s*10[5-8]0", "compute_capability": "6.1", "series": "GeForce GTX 10xx"}
    )
    facts = linux_box(gpus=[nvidia("NVIDIA GeForce GTX 1080 Ti", 11264, cc=None)], ram={"total_bytes": 32 * 10**9})
    sdxl = model(evaluate(facts, changed, SITE), "sdxl")
    assert sdxl["status"] == "fail" and "by name (GeForce GTX 10xx)" in sdxl["reason"]


# --- Macs: every family runs, 16 GB recommended (5.6+) ----------------------------------


def test_an_8_gb_m1_fails_sdxl_in_4_2_4_and_is_warned_in_5_6(releases):
    facts = mac(8)
    old, mid = report_for(releases, OLD, facts), report_for(releases, MID, facts)
    assert model(old, "sdxl")["status"] == "fail"
    sdxl = model(mid, "sdxl")
    recommended = next(b for b in releases[MID]["backends"] if b["id"] == "mps")["recommended_memory"]
    assert sdxl["status"] == "warn"
    assert sdxl["reason"].startswith(
        "Stable Diffusion XL runs on every Mac with Apple Silicon, %s of memory recommended" % recommended
    )
    assert finding(mid, "gpu.vram")["status"] == "warn"
    assert "every model family runs on every Mac with Apple Silicon" in finding(mid, "gpu.vram")["detail"]
    # Below a family's RAM on a Mac that runs every family: a warning that names it, not a failure.
    flux = model(mid, "flux")
    assert flux["status"] == "warn" and "FLUX needs 32 GB of RAM" in flux["reason"]


def test_a_16_gb_mac_meets_the_recommended_memory(releases):
    mid = report_for(releases, MID, mac(16, "Apple M2"))
    assert finding(mid, "gpu.vram")["status"] == "pass"
    assert model(mid, "sdxl")["status"] == "pass"
    assert model(mid, "flux")["status"] == "warn"  # FLUX's 32 GB of RAM


# --- AMD: the same VRAM as NVIDIA (5.6+) ---------------------------------------------------


def test_an_8_gb_amd_card_runs_sdxl_in_5_6_as_an_8_gb_nvidia_card_does(releases):
    amd_report = report_for(releases, MID, amd_box(8176))
    nvidia_report = report_for(releases, MID, linux_box(gpus=[nvidia("NVIDIA GeForce RTX 3070", 8192, cc="8.6")]))
    assert model(amd_report, "sdxl")["status"] == model(nvidia_report, "sdxl")["status"] == "pass"
    assert "8 GB VRAM on AMD, the same as on NVIDIA" in model(amd_report, "sdxl")["reason"]
    assert "Stable Diffusion XL (8 GB on AMD)" in finding(amd_report, "gpu.vram")["detail"]
    # 4.2.4 asked 16 GB of an AMD card for SDXL.
    assert model(report_for(releases, OLD, amd_box(8176)), "sdxl")["status"] == "fail"


# --- less VRAM than the minimum: fail in 4.2.4, warn in 6.13.8 ------------------------------


@pytest.mark.parametrize("version,status", [(OLD, "fail"), (NEW, "warn")])
def test_vram_below_the_minimum_takes_the_releases_status(releases, version, status):
    assert rule_of(releases[version], "gpu.vram")["values"]["below_minimum_status"] == status
    tiny = report_for(releases, version, linux_box(gpus=[nvidia("NVIDIA GeForce GT 1030", 2048, cc="6.1")]))
    assert finding(tiny, "gpu.vram")["status"] == status
    six = report_for(releases, version, linux_box(gpus=[nvidia("NVIDIA GeForce RTX 2060", 6144, cc="7.5")]))
    assert model(six, "sdxl")["status"] == status
    assert model(six, "sdxl")["reason"].startswith("Stable Diffusion XL needs 8 GB VRAM on NVIDIA")
    assert ("still runs, more slowly" in model(six, "sdxl")["reason"]) == (status == "warn")


# --- disk.free: one base size and the families' models (5.6), gone in 6.13.8 ---------------


def test_disk_free_in_5_6_asks_the_base_install_and_the_smallest_familys_models(releases):
    values = rule_of(releases[MID], "disk.free")["values"]
    base = parse_size(values["base_install"])
    smallest = min(
        (parse_size(f["disk_models"]), f["name"]) for f in releases[MID]["model_families"] if f.get("disk_models")
    )
    for free, status in (
        (base - 1, "fail"),
        (base, "warn"),
        (base + smallest[0] - 1, "warn"),
        (base + smallest[0], "pass"),
    ):
        disk = finding(report_for(releases, MID, linux_box(disk={"free_bytes": free})), "disk.free")
        assert disk["status"] == status, free
        assert "for the base install" in disk["detail"] and smallest[1] in disk["detail"]
        assert "images" not in disk["detail"]
    assert finding(report_for(releases, NEW, linux_box()), "disk.free") is None


def test_disk_free_without_any_models_size_judges_the_base_install_alone(releases):
    changed = copy.deepcopy(releases[MID])
    for family in changed["model_families"]:
        family.pop("disk_models", None)
    base = parse_size(rule_of(changed, "disk.free")["values"]["base_install"])
    low = finding(evaluate(linux_box(disk={"free_bytes": base - 1}), changed, SITE), "disk.free")
    enough = finding(evaluate(linux_box(disk={"free_bytes": base}), changed, SITE), "disk.free")
    assert low["status"] == "fail" and enough["status"] == "pass"
    assert "models" not in enough["detail"]


def test_a_small_tmpfs_without_the_zip_installer_names_the_releases_install(releases):
    facts = linux_box(temp={"is_tmpfs": True, "free_bytes": 2 * 10**9, "mount_point": "/tmp"})
    old = finding(report_for(releases, OLD, facts), "tmp.space")
    mid = finding(report_for(releases, MID, facts), "tmp.space")
    assert "./install.sh" in old["fix"]
    assert "./install.sh" not in mid["fix"] and releases[MID]["release"]["install"]["name"] in mid["fix"]


# --- os.version (5.6+) ----------------------------------------------------------------------


def windows(release, version=None):
    return linux_box(
        os={"system": "Windows", "release": release, "version": version, "machine": "AMD64", "distro": None}
    )


def ubuntu(version_id, distro_id="ubuntu", pretty=None, **os_changes):
    distro = {"id": distro_id, "id_like": ["debian"], "version_id": version_id, "pretty_name": pretty}
    return linux_box(os=dict({"distro": distro}, **os_changes))


@pytest.mark.parametrize(
    "release,version,status",
    [
        ("7", "6.1.7601", "fail"),
        ("8.1", "6.3.9600", "fail"),
        ("8.1", None, "fail"),
        ("10", "10.0.19045", "pass"),
        ("10", None, "pass"),  # Windows 10 or 11: either meets Windows 10
        ("11", "10.0.22631", "pass"),
        ("10", "10.0.22631", "pass"),  # an older Python on Windows 11
        ("2019Server", "10.0.17763", "pass"),
        ("2022Server", None, "pass"),
        ("post2012ServerR2", "10.0.14393", "pass"),
        ("2012ServerR2", "6.3.9600", "fail"),
        ("Vista", None, "fail"),
        ("", None, "unknown"),
        ("SomethingElse", None, "unknown"),
        ("SomethingElse", "10.0.26100", "pass"),  # unnamed, but its build is NT 10
    ],
)
def test_windows_releases_are_read_by_meaning(releases, release, version, status):
    found = finding(report_for(releases, MID, windows(release, version)), "os.version")
    assert found["status"] == status, found["detail"]
    if status == "fail":
        assert found["fix"] == rule_of(releases[MID], "os.version")["fix"]
    if status == "pass":
        assert found["fix"] is None


def test_windows_11_reported_as_release_10_is_named_by_its_build(releases):
    found = finding(report_for(releases, MID, windows("10", "10.0.22631")), "os.version")
    assert found["detail"].startswith("Windows 11 (build 10.0.22631)")
    server = finding(report_for(releases, MID, windows("2019Server", "10.0.17763")), "os.version")
    assert "Windows Server 2019" in server["detail"] and "NT version" in server["detail"]


def test_windows_10_without_its_build_is_unknown_against_a_windows_11_minimum(releases):
    changed = copy.deepcopy(releases[MID])
    rule_of(changed, "os.version")["values"]["windows"] = "11"
    assert finding(evaluate(windows("10", None), changed, SITE), "os.version")["status"] == "unknown"
    assert finding(evaluate(windows("10", "10.0.19045"), changed, SITE), "os.version")["status"] == "fail"
    assert finding(evaluate(windows("11", "10.0.22631"), changed, SITE), "os.version")["status"] == "pass"


@pytest.mark.parametrize(
    "version,status",
    [
        ("13.6", "fail"),
        ("13.6.7", "fail"),
        ("14.0", "pass"),
        ("14.4.1", "pass"),
        ("15.1", "pass"),
        ("10.16", "unknown"),
    ],
)
def test_macos_versions_compare_numerically(releases, version, status):
    found = finding(report_for(releases, MID, mac(16, version=version)), "os.version")
    assert found["status"] == status, found["detail"]
    assert version in found["detail"]


def test_an_unreported_macos_version_is_unknown(releases):
    found = finding(report_for(releases, MID, mac(16, version=None)), "os.version")
    assert found["status"] == "unknown"


@pytest.mark.parametrize(
    "facts,status",
    [
        (ubuntu("18.04", pretty="Ubuntu 18.04.6 LTS"), "warn"),
        (ubuntu("20.04", pretty="Ubuntu 20.04.6 LTS"), "pass"),
        (ubuntu("22.04", pretty="Ubuntu 22.04.4 LTS"), "pass"),
        (ubuntu("18.04", pretty="Ubuntu 18.04.6 LTS", wsl=True), "warn"),
        (ubuntu("40", "fedora", "Fedora Linux 40 (Workstation Edition)"), "pass"),
        (ubuntu("jammy"), "unknown"),
    ],
)
def test_linux_is_judged_by_its_ubuntu_release(releases, facts, status):
    found = finding(report_for(releases, MID, facts), "os.version")
    values = rule_of(releases[MID], "os.version")["values"]
    assert found["status"] == (values["older_status"] if status == "warn" else status), found["detail"]
    if facts["os"]["distro"]["id"] != "ubuntu":
        assert "Ubuntu" in found["detail"] and "Fedora" in found["detail"]
    if facts["os"].get("wsl"):
        assert "WSL" in found["detail"]


def test_the_older_ubuntu_status_comes_from_the_rules(releases):
    changed = copy.deepcopy(releases[MID])
    rule_of(changed, "os.version")["values"]["older_status"] = "fail"
    found = finding(evaluate(ubuntu("18.04", pretty="Ubuntu 18.04.6 LTS"), changed, SITE), "os.version")
    assert found["status"] == "fail" and found["fix"] == rule_of(changed, "os.version")["fix"]


def test_an_os_the_facts_do_not_say_is_unknown_with_the_reason(releases):
    no_distro = linux_box(os={"distro": None}, unknown={"os.distro": "/etc/os-release is missing or empty"})
    found = finding(report_for(releases, MID, no_distro), "os.version")
    assert found["status"] == "unknown" and found["detail"] == "/etc/os-release is missing or empty"
    no_system = linux_box(os={"system": None})
    assert finding(report_for(releases, MID, no_system), "os.version")["status"] == "unknown"
    assert finding(report_for(releases, MID, linux_box(os={"system": "FreeBSD"})), "os.version")["status"] == "unknown"


def test_a_browser_cannot_tell_the_os_version(releases):
    from checks.browser import facts_from_browser

    facts = facts_from_browser(
        {"userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "uaData": {"platform": "Windows"}}
    )
    found = finding(report_for(releases, MID, facts), "os.version")
    assert found["status"] == "unknown" and "browser" in found["detail"].lower()


def test_os_version_is_a_5_6_rule(releases):
    assert finding(report_for(releases, OLD, linux_box()), "os.version") is None


# --- every release over the corpus ---------------------------------------------------------


def test_a_release_without_the_vram_rule_leaves_the_models_unknown(releases):
    changed = copy.deepcopy(releases[MID])
    changed["rules"] = [rule for rule in changed["rules"] if rule["id"] != "gpu.vram"]
    report = evaluate(linux_box(), changed, SITE)
    assert report["models"] and all(item["status"] == "unknown" for item in report["models"])
    assert "gpu.vram" in report["models"][0]["reason"]


@pytest.mark.parametrize("version", [OLD, MID, NEW])
def test_every_corpus_machine_is_judged_against_every_release_without_a_crash(releases, version):
    rules = releases[version]
    families = [family["id"] for family in rules["model_families"]]
    for case in list_cases():
        report = evaluate(facts_for_case(case, releases["default"]), rules, SITE)
        checked = [rule["id"] for rule in rules["rules"] if rule.get("check", True)]
        assert [item["id"] for item in report["findings"]] == checked, case
        for item in report["findings"]:
            assert item["status"] in STATUSES, (case, item)
            # A check that crashed, or a rule without a check, is a bug here, not a verdict.
            assert not item["detail"].startswith(("The check failed", "This checker has no check")), (case, item)
        assert [item["id"] for item in report["models"]] == families, case
        for item in report["models"]:
            assert item["status"] in MODEL_STATUSES, (case, item)
            assert not item["reason"].startswith("The model check failed"), (case, item)
