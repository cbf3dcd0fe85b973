"""System libraries are found the way the loader finds them, without loading them: a library
planted in the current folder (reached through an empty LD_LIBRARY_PATH entry) never runs
inside the checker, and the loader cache is read as the loader reads it.
"""

import json
import os
import shutil
import struct
import subprocess
import sys

import pytest

from checks.facts import new_facts
from checks.probes.context import ProbeContext
from checks.probes.libs import parse_ld_so_cache, probe_libs

from .conftest import count

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the loader cache is Linux's")

PLANTED = r"""
#include <stdio.h>
__attribute__((constructor)) static void planted(void) {
    FILE *f = fopen("RAN", "w");
    if (f) { fputs("the planted library ran\n", f); fclose(f); }
}
"""


def cache_bytes(entries, old_table=False):
    """An /etc/ld.so.cache in glibc's "glibc-ld.so.cache1.1" format ({soname: path}), after the old table if asked."""
    strings, offsets = b"", []
    header_size, entry_size = 48, 24
    base = header_size + entry_size * len(entries)
    for name, path in entries:
        key = base + len(strings)
        strings += name.encode() + b"\0"
        value = base + len(strings)
        strings += path.encode() + b"\0"
        offsets.append((key, value))
    new = b"glibc-ld.so.cache1.1" + struct.pack("<IIB3xI12x", len(entries), len(strings), 2, 0)
    for key, value in offsets:
        new += struct.pack("<iIIIQ", 0x0303, key, value, 0, 0)
    new += strings
    if not old_table:
        return new
    old = b"ld.so-1.7.0\0" + struct.pack("<I", 0)
    return old + new


def test_the_cache_parser_reads_what_ldconfig_lists():
    ldconfig = shutil.which("ldconfig") or ("/sbin/ldconfig" if os.path.exists("/sbin/ldconfig") else None)
    if not os.path.isfile("/etc/ld.so.cache") or not ldconfig:
        pytest.skip("no /etc/ld.so.cache or ldconfig here")
    with open("/etc/ld.so.cache", "rb") as handle:
        parsed = parse_ld_so_cache(handle.read())
    listed = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=30).stdout.splitlines()[1:]
    pairs = set()
    for line in listed:
        if " => " in line:
            name, path = line.strip().split(" => ")
            pairs.add((name.split(" (")[0], path))
    assert pairs and pairs == set((name, path) for name, paths in parsed.items() for path in paths)
    count("library lookups (cache, folders, planted library)", len(pairs))


def test_synthetic_caches_old_and_new_and_garbage():
    entries = [("libGL.so.1", "/usr/lib/x86_64-linux-gnu/libGL.so.1"), ("libglib-2.0.so.0", "/lib/libglib-2.0.so.0")]
    for old in (False, True):
        assert parse_ld_so_cache(cache_bytes(entries, old_table=old)) == dict((n, [p]) for n, p in entries)
    assert parse_ld_so_cache(b"") is None
    assert parse_ld_so_cache(b"\x7fELF" + os.urandom(200)) is None
    whole = cache_bytes(entries)
    for cut in range(0, len(whole)):  # a cache cut short: no crash, no invented path
        parsed = parse_ld_so_cache(whole[:cut])
        assert parsed is None or all(path in dict(entries).values() for paths in parsed.values() for path in paths)
    count("library lookups (cache, folders, planted library)", len(whole) + 4)


def test_reading_the_cache_for_some_names_gives_their_entries_of_the_whole_cache():
    caches = [cache_bytes(ENTRIES, old_table=old) for old in (False, True)]
    if os.path.isfile("/etc/ld.so.cache"):
        with open("/etc/ld.so.cache", "rb") as handle:
            caches.append(handle.read())
    for data in caches:
        whole = parse_ld_so_cache(data)
        # Names of the cache, a name that is the tail of another (and of its path), absent ones.
        names = sorted(whole)[:3] + ["libGL.so.1", "GL.so.1", "libabsent.so.9", "", "x\udc80"]
        assert parse_ld_so_cache(data, names=names) == dict((name, whole[name]) for name in names if name in whole)
        assert parse_ld_so_cache(data, names=[]) == {}
    for cut in range(0, len(caches[0])):
        short = caches[0][:cut]
        whole = parse_ld_so_cache(short)
        expected = None if whole is None else dict((n, p) for n, p in whole.items() if n == "libGL.so.1")
        assert parse_ld_so_cache(short, names=["libGL.so.1"]) == expected


ENTRIES = [
    ("libGL.so.1", "/usr/lib/x86_64-linux-gnu/libGL.so.1"),
    ("libglib-2.0.so.0", "/lib/libglib-2.0.so.0"),
    ("libGL.so.1", "/opt/gl/libGL.so.1"),
]


def fake_root(tmp_path, cache=None, lib_header=None):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    folder = root / "opt" / "gl"
    folder.mkdir(parents=True)
    if lib_header is not None:
        (folder / "libGL.so.1").write_bytes(lib_header + b"\0" * 64)
    if cache == "directory":
        (root / "etc" / "ld.so.cache").mkdir()
    elif cache is not None:
        (root / "etc" / "ld.so.cache").write_bytes(cache)
    return root


def probed(root, env=None):
    facts = new_facts("probe")
    context = ProbeContext(root=str(root), env=env or {"PATH": "/usr/bin"})
    context.system = "Linux"
    probe_libs(facts, context, sonames=["libGL.so.1"])
    return facts


def test_a_library_in_the_cache_counts_only_when_it_is_there_and_of_this_machine(tmp_path):
    with open(sys.executable, "rb") as handle:
        ours = handle.read(64)
    cache = cache_bytes([("libGL.so.1", "/opt/gl/libGL.so.1")])
    assert probed(fake_root(tmp_path / "a", cache, ours))["libs"] == {"libGL.so.1": True}
    assert probed(fake_root(tmp_path / "b", cache, None))["libs"] == {"libGL.so.1": False}
    other_class = ours[:4] + (b"\x01" if ours[4:5] == b"\x02" else b"\x02") + ours[5:]
    assert probed(fake_root(tmp_path / "c", cache, other_class))["libs"] == {"libGL.so.1": False}
    unreadable = probed(fake_root(tmp_path / "d", "directory", None))
    assert unreadable["libs"] == {"libGL.so.1": None} and "ld.so.cache" in unreadable["unknown"]["libs.libGL.so.1"]
    garbage = probed(fake_root(tmp_path / "e", b"not a cache at all", None))
    assert garbage["libs"] == {"libGL.so.1": None}
    count("library lookups (cache, folders, planted library)", 5)


def test_a_relative_or_empty_ld_library_path_entry_is_not_searched(tmp_path):
    with open(sys.executable, "rb") as handle:
        ours = handle.read(64)
    root = fake_root(tmp_path, cache_bytes([]), ours)  # libGL.so.1 only in /opt/gl
    assert probed(root, {"LD_LIBRARY_PATH": "/opt/gl"})["libs"] == {"libGL.so.1": True}
    assert probed(root, {"LD_LIBRARY_PATH": ":opt/gl:"})["libs"] == {"libGL.so.1": False}


@pytest.mark.skipif(not shutil.which("cc"), reason="needs a C compiler to build the planted library")
def test_a_planted_library_in_the_current_folder_never_runs(check_script, tmp_path):
    source = tmp_path / "planted.c"
    source.write_text(PLANTED)
    built = subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", str(tmp_path / "libGL.so.1"), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if built.returncode != 0:
        pytest.skip("cannot build a shared library here: %s" % built.stderr[-300:])
    for name in ("libglib-2.0.so.0",):
        shutil.copy(str(tmp_path / "libGL.so.1"), str(tmp_path / name))
    # What `export LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/usr/local/cuda/lib64` leaves when it was unset.
    env = dict(os.environ, LD_LIBRARY_PATH=":/usr/local/cuda/lib64")
    result = subprocess.run(
        [sys.executable, str(check_script), "--json", "--only", "libs.opencv"],
        cwd=str(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert not (tmp_path / "RAN").exists(), "a library from the current folder ran inside the checker"
    report = json.loads(result.stdout)
    assert set(report["facts"]["libs"]) == {"libGL.so.1", "libglib-2.0.so.0"}
    count("library lookups (cache, folders, planted library)")
