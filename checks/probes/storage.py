"""Shared by the disk and temp probes: free space, the mount holding a path, its disk."""

import os
import shutil

from ..parsers.linux import mount_for, parse_mounts


def nearest_existing(context, path):
    """`path`, or its nearest parent that exists on the probed machine."""
    paths = os.path
    if context.system == "Windows":
        import ntpath  # Windows paths: imported where they are probed

        paths = ntpath
    current = path
    while current and not os.path.isdir(context.path(current)):
        parent = paths.dirname(current.rstrip("/\\") if not _is_drive_root(current) else current) or current[:1]
        if parent == current:
            return None
        current = parent
    return current or None


def _is_drive_root(path):
    return len(path) == 3 and path[1] == ":" and path[2] in "\\/"


def usage(context, path):
    """(free, total) bytes of the filesystem holding `path`, or (None, None)."""
    try:
        measured = shutil.disk_usage(context.path(path))
    except (OSError, ValueError):
        return None, None
    return int(measured.free), int(measured.total)


def mount_of(context, path):
    """The /proc/self/mounts entry holding `path` (Linux), or None."""
    mounts = parse_mounts(context.read("/proc/self/mounts") or context.read("/proc/mounts"))
    real = path
    if context.is_real_root:
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            pass
    return mount_for(real, mounts)


def is_rotational(context, device):
    """True for a spinning disk, False for an SSD, None where unknown.

    Resolves partitions (sda1 -> sda, nvme0n1p2 -> nvme0n1) and device-mapper
    names (/dev/mapper/x -> dm-0) to the block device that has a queue.
    """
    if not device or not device.startswith("/dev/"):
        return None
    name = os.path.basename(device)
    if device.startswith("/dev/mapper/"):
        try:
            name = os.path.basename(os.path.realpath(context.path(device)))
        except (OSError, ValueError):
            return None
    candidates = [name] + [
        disk for disk in context.listdir("/sys/block") if name in context.listdir("/sys/block/" + disk)
    ]
    for disk in candidates:
        value = (context.read("/sys/block/%s/queue/rotational" % disk) or "").strip()
        if value in ("0", "1"):
            return value == "1"
    return None
