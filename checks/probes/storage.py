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


IOCTL_STORAGE_QUERY_PROPERTY = 0x002D1400
STORAGE_DEVICE_SEEK_PENALTY_PROPERTY = 7


def windows_seek_penalty(path):
    """(rotational, why): whether the disk holding `path` incurs a seek penalty, asked of Windows.

    IOCTL_STORAGE_QUERY_PROPERTY on the volume opened with no access rights
    needs no administrator. None with the reason where Windows does not say
    (a spanned volume, a network drive, an old driver).
    """
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        volume_path = ctypes.create_unicode_buffer(260)
        if not kernel32.GetVolumePathNameW(ctypes.c_wchar_p(path), volume_path, 260):
            return None, "Windows did not name the volume holding %s (error %d)" % (path, ctypes.get_last_error())
        volume = volume_path.value.rstrip("\\")
        if volume.startswith("\\\\"):
            return None, "%s is on a network share: Windows cannot say what disk holds it" % path
        kernel32.CreateFileW.restype = wintypes.HANDLE
        kernel32.CreateFileW.argtypes = [
            wintypes.LPCWSTR,
            wintypes.DWORD,
            wintypes.DWORD,
            ctypes.c_void_p,
            wintypes.DWORD,
            wintypes.DWORD,
            wintypes.HANDLE,
        ]
        handle = kernel32.CreateFileW("\\\\.\\" + volume, 0, 3, None, 3, 0, None)  # share read|write, OPEN_EXISTING
        if handle in (None, ctypes.c_void_p(-1).value):
            return None, "Windows did not open the volume %s (error %d)" % (volume, ctypes.get_last_error())
        try:
            query = (wintypes.DWORD * 3)(STORAGE_DEVICE_SEEK_PENALTY_PROPERTY, 0, 0)  # PropertyStandardQuery
            answer = (wintypes.DWORD * 3)()  # Version, Size, IncursSeekPenalty (a BOOLEAN)
            returned = wintypes.DWORD()
            kernel32.DeviceIoControl.argtypes = [
                wintypes.HANDLE,
                wintypes.DWORD,
                ctypes.c_void_p,
                wintypes.DWORD,
                ctypes.c_void_p,
                wintypes.DWORD,
                ctypes.c_void_p,
                ctypes.c_void_p,
            ]
            ok = kernel32.DeviceIoControl(
                handle,
                IOCTL_STORAGE_QUERY_PROPERTY,
                query,
                ctypes.sizeof(query),
                answer,
                ctypes.sizeof(answer),
                ctypes.byref(returned),
                None,
            )
            if not ok or returned.value < 9:
                return None, "Windows did not say whether the disk holding %s is an SSD (error %d)" % (
                    path,
                    ctypes.get_last_error(),
                )
            return bool(answer[2] & 0xFF), None
        finally:
            kernel32.CloseHandle(wintypes.HANDLE(handle))
    except Exception as exc:  # no ctypes, an old Windows: can't tell, the check says so
        return None, "cannot ask Windows what disk holds %s (%s: %s)" % (path, type(exc).__name__, exc)
