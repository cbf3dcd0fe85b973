"""The Windows APIs the probes call on Windows: the registry (winreg), total memory and the disk's seek penalty (ctypes).

Imported on Windows only: other systems never compile it.
"""


def read_registry(key, name):
    """The value `name` of the registry key `key` (HKEY_...\\path); KeyError where either is missing."""
    import winreg  # Windows only; stdlib

    hive_name, _, subkey = key.partition("\\")
    hive = getattr(winreg, hive_name, None)
    if hive is None:
        raise ValueError("unknown registry hive %s" % hive_name)
    try:
        with winreg.OpenKey(hive, subkey) as handle:
            value, _kind = winreg.QueryValueEx(handle, name)
    except FileNotFoundError:
        raise KeyError(name)
    return value


def total_memory():
    """Total physical memory in bytes (GlobalMemoryStatusEx), or None."""
    import ctypes

    class MemoryStatusEx(ctypes.Structure):
        _fields_ = [
            ("dwLength", ctypes.c_ulong),
            ("dwMemoryLoad", ctypes.c_ulong),
            ("ullTotalPhys", ctypes.c_ulonglong),
            ("ullAvailPhys", ctypes.c_ulonglong),
            ("ullTotalPageFile", ctypes.c_ulonglong),
            ("ullAvailPageFile", ctypes.c_ulonglong),
            ("ullTotalVirtual", ctypes.c_ulonglong),
            ("ullAvailVirtual", ctypes.c_ulonglong),
            ("ullAvailExtendedVirtual", ctypes.c_ulonglong),
        ]

    status = MemoryStatusEx()
    status.dwLength = ctypes.sizeof(MemoryStatusEx)
    if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        return None
    return int(status.ullTotalPhys)


IOCTL_STORAGE_QUERY_PROPERTY = 0x002D1400
STORAGE_DEVICE_SEEK_PENALTY_PROPERTY = 7


def seek_penalty(path):
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
