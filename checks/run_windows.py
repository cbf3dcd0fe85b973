"""Windows: the tool in a job object that kills the whole tree when it is closed (see checks/run.py).

Imported by checks/run.py on Windows only: other systems never compile it.
"""

import subprocess

from .run import STOP_WAIT, PopenJob, _close


class Job(PopenJob):
    """The tool in a Windows job object that kills the whole tree when it is closed."""

    def __init__(self, args, env):
        PopenJob.__init__(self, args, env, creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
        self.job = None
        try:
            self.job = windows_job(self.process)
        except Exception:
            self.job = None  # no job object: the tool alone is killed on stop

    def kill(self):
        if self.job is not None:
            try:
                import ctypes

                ctypes.windll.kernel32.TerminateJobObject(self.job, 1)
            except Exception:
                pass
        self.kill_tool()

    def stop(self):
        if self.process.poll() is None:
            self.kill()
            self.wait(STOP_WAIT)
        if self.job is not None:
            try:
                import ctypes

                ctypes.windll.kernel32.CloseHandle(self.job)  # KILL_ON_JOB_CLOSE: what is left dies
            except Exception:
                pass
            self.job = None
        _close(self.streams)


def windows_job(process):
    """A job object holding `process`, which kills every process in it when its handle closes."""
    import ctypes
    from ctypes import wintypes

    class IoCounters(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_ulonglong)
            for name in (
                "ReadOperationCount",
                "WriteOperationCount",
                "OtherOperationCount",
                "ReadTransferCount",
                "WriteTransferCount",
                "OtherTransferCount",
            )
        ]

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        ]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits),
            ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
    kernel32.SetInformationJobObject.argtypes = (wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD)
    kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise OSError(ctypes.get_last_error(), "CreateJobObjectW failed")
    limits = ExtendedLimits()
    limits.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    ok = kernel32.SetInformationJobObject(
        job, 9, ctypes.byref(limits), ctypes.sizeof(limits)
    )  # ExtendedLimitInformation
    ok = ok and kernel32.AssignProcessToJobObject(job, int(process._handle))
    if not ok:
        kernel32.CloseHandle(job)
        raise OSError(ctypes.get_last_error(), "job object setup failed")
    return job
