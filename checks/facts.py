"""Facts: a plain, JSON-able description of one machine.

Probes (the real OS, a browser, a pasted nvidia-smi output, a saved file)
produce facts; the evaluation reads them. Nothing else crosses that line.
A value that could not be measured is None, and `unknown` says why, keyed by
the fact's dotted path ("ram.total_bytes": "psutil absent and /proc/meminfo unreadable").

    {
      "schema": "invoke-check-facts/1",
      "origin": "probe" | "browser" | "file" | "nvidia-smi",
      "os": {"system": "Linux" | "Darwin" | "Windows" | None, "release": str, "version": str,
             "machine": "x86_64" | "arm64" | "AMD64" | ..., "distro": {"id": "ubuntu",
             "id_like": ["debian"], "version_id": "24.04", "pretty_name": str} | None,
             "wsl": bool | None, "apple_silicon": bool | None, "rosetta": bool | None},
      "python": {"version": "3.11.7", "executable": str, "implementation": "CPython",
                 "others": [{"version": "3.10.13", "path": "/usr/bin/python3.10"}]},
      "ram": {"total_bytes": int | None, "source": str, "cgroup_limit_bytes": int | None},
      "gpus": [{"vendor": "nvidia" | "amd" | "apple" | "intel" | "other", "name": str,
                "name_truncated": bool, "vram_bytes": int | None, "vram_is_estimate": bool,
                "driver_version": str | None, "cuda_version": str | None,
                "rocm_version": str | None, "compute_capability": "7.5" | None,
                "mig": bool | None, "source": "nvidia-smi" | "rocm-smi" | "sysfs" | "sysctl" | "webgl" | ...}],
      "gpu_hardware": {"nvidia": bool | None, "amd": bool | None},   # seen on the bus, driver or not
      "nvidia_smi": {"status": "ok" | "missing" | "failed" | "timeout" | "not-run",
                     "path": str | None, "failure": "<failure id from the rules>" | None,
                     "message": str | None, "exit_code": int | None},
      "rocm_smi": {"status": ..., "path": str | None, "driver_version": str | None,
                   "rocm_version": str | None, "message": str | None},
      "disk": {"install_dir": str, "measured_path": str, "free_bytes": int | None,
               "total_bytes": int | None, "rotational": bool | None},
      "temp": {"path": str, "fs_type": str | None, "is_tmpfs": bool | None,
               "free_bytes": int | None, "total_bytes": int | None},
      "libs": {"libGL.so.1": bool | None, "libglib-2.0.so.0": bool | None},
      "browser": {...}                      # only when origin is "browser"
      "unknown": {"<dotted path>": "why it is unknown"},
      "probe_errors": {"<probe name>": "what went wrong"}
    }
"""

FACTS_SCHEMA = "invoke-check-facts/1"


def new_facts(origin):
    """An empty facts object: everything unknown until a probe fills it in."""
    return {
        "schema": FACTS_SCHEMA,
        "origin": origin,
        "os": {"system": None, "release": None, "version": None, "machine": None,
               "distro": None, "wsl": None, "apple_silicon": None, "rosetta": None},
        "python": {"version": None, "executable": None, "implementation": None, "others": []},
        "ram": {"total_bytes": None, "source": None, "cgroup_limit_bytes": None},
        "gpus": [],
        "gpu_hardware": {"nvidia": None, "amd": None},
        "nvidia_smi": {"status": "not-run", "path": None, "failure": None, "message": None, "exit_code": None},
        "rocm_smi": {"status": "not-run", "path": None, "driver_version": None, "rocm_version": None, "message": None},
        "disk": {"install_dir": None, "measured_path": None, "free_bytes": None, "total_bytes": None, "rotational": None},
        "temp": {"path": None, "fs_type": None, "is_tmpfs": None, "free_bytes": None, "total_bytes": None},
        "libs": {},
        "unknown": {},
        "probe_errors": {},
    }


def new_gpu(vendor, name, source):
    return {
        "vendor": vendor, "name": name, "name_truncated": False,
        "vram_bytes": None, "vram_is_estimate": False,
        "driver_version": None, "cuda_version": None, "rocm_version": None,
        "compute_capability": None, "mig": None, "source": source,
    }
