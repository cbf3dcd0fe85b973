"""Parsers of rocm-smi JSON, Linux system files and macOS tool outputs."""

import pytest

from checks.parsers.linux import mount_for, parse_cgroup_limit, parse_meminfo_total, parse_mounts, parse_os_release
from checks.parsers.macos import parse_displays, parse_sw_vers, parse_sysctl_flag, parse_sysctl_int
from checks.parsers.rocm_smi import parse_driver_json, parse_product_json, parse_vram_json


def test_rocm_vram_keeps_only_cards_in_order():
    text = (
        'WARNING: something\n{"system": {"x": "1"}, "card1": {"VRAM Total Memory (B)": "2048"},'
        ' "card0": {"VRAM Total Memory (B)": "25753026560"}}'
    )
    assert list(parse_vram_json(text)["cards"].items()) == [("card0", 25753026560), ("card1", 2048)]


@pytest.mark.parametrize("key", ["Card series", "Card Series"])
def test_rocm_product_name_key_variants(key):
    assert parse_product_json('{"card0": {"%s": "Radeon RX 7900 XTX"}}' % key)["cards"] == {
        "card0": "Radeon RX 7900 XTX"
    }


def test_rocm_driver_version():
    assert parse_driver_json('{"system": {"Driver version": "6.7.0"}}')["driver_version"] == "6.7.0"


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"system": {}}', None, '{"card0": "x"}'])
def test_rocm_garbage_gives_a_reason(text):
    assert parse_vram_json(text)["cards"] == {} and parse_vram_json(text)["reason"]
    assert parse_driver_json(text)["driver_version"] is None


def test_meminfo_and_cgroup_limits():
    assert parse_meminfo_total("MemTotal:       16303000 kB\nMemFree: 1 kB\n") == 16303000 * 1024
    assert parse_meminfo_total("garbage") is None
    assert parse_cgroup_limit("max\n") is None
    assert parse_cgroup_limit("9223372036854771712\n") is None  # cgroup v1: no limit
    assert parse_cgroup_limit("6442450944\n") == 6442450944


def test_mounts_unescape_and_longest_prefix():
    mounts = parse_mounts(
        "/dev/sda2 / ext4 rw 0 0\ntmpfs /tmp tmpfs rw,size=4g 0 0\n/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\nbroken\n"
    )
    assert mounts[2]["mount_point"] == "/mnt/my disk"
    assert mount_for("/tmp/pip-build", mounts)["fs_type"] == "tmpfs"
    assert mount_for("/tmpfoo", mounts)["mount_point"] == "/"
    assert mount_for("/mnt/my disk/models", mounts)["device"] == "/dev/sdb1"
    assert mount_for("/x", []) is None


def test_os_release_quotes_comments_and_id_like():
    distro = parse_os_release(
        '# comment\nID="rhel"\nID_LIKE="fedora centos"\nVERSION_ID=\'9.3\'\nPRETTY_NAME="RHEL 9"\n'
    )
    assert distro == {"id": "rhel", "id_like": ["fedora", "centos"], "version_id": "9.3", "pretty_name": "RHEL 9"}
    assert parse_os_release("") is None


def test_macos_outputs(real_outputs):
    assert parse_sysctl_int("17179869184\n") == 17179869184
    assert parse_sysctl_flag("1\n") is True and parse_sysctl_flag("0") is False and parse_sysctl_flag("") is None
    assert parse_sw_vers("ProductName:\tmacOS\nProductVersion:\t14.5\n")["ProductVersion"] == "14.5"
    displays = parse_displays((real_outputs / "mac-01.txt").read_text(encoding="utf-8"))
    assert displays == [
        {"name": "Apple M1 Pro", "cores": 16, "vram_bytes": None, "vendor": "Apple", "vendor_id": "0x106b"}
    ]
    assert parse_displays("Chipset Model: AMD Radeon Pro 5500M\nVRAM (Total): 8 GB\n")[0]["vram_bytes"] == 8 * 2**30
