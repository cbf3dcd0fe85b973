"""The nvidia_smi section, NVIDIA entries of gpus, and gpu_hardware from the PCI bus.

Here: finding nvidia-smi and reading the PCI bus. Running the nvidia-smi found,
or reading a saved output, is checks/probes/nvidia_smi_run.py, imported only
then: a machine without nvidia-smi never compiles it or nvidia-smi's parser.
"""

from .context import mark_unknown

NVIDIA_PCI_VENDOR = "0x10de"
AMD_PCI_VENDOR = "0x1002"
WSL_NVIDIA_SMI = "/usr/lib/wsl/lib/nvidia-smi"
TIMEOUT = 8


def start_nvidia(context, nvidia_smi_text=None):
    """Begin both calls probe_nvidia makes, side by side: the query and the plain table.

    The table is only read once the query found a GPU, but asking for both at
    once costs one call's wait, not two.
    """
    if nvidia_smi_text is not None:
        return
    path = find_nvidia_smi(context)
    if path is not None:
        from .nvidia_smi_run import start_calls

        start_calls(context, path, TIMEOUT)


def probe_nvidia(facts, context, nvidia_smi_text=None):
    section = facts["nvidia_smi"]
    if nvidia_smi_text is not None:
        from .nvidia_smi_run import from_text

        from_text(facts, nvidia_smi_text)
        return
    path = find_nvidia_smi(context)
    section["path"] = path
    if path is None:
        section["status"] = "missing"
        section["failure"] = "not-installed"
        return
    from .nvidia_smi_run import from_tool

    from_tool(facts, context, path, TIMEOUT)


def find_nvidia_smi(context):
    """The nvidia-smi to run, or None.

    On Windows the driver's own copies come first (System32, where current
    drivers put it, then NVSMI under Program Files), and PATH only after
    them, through the lookup that never takes the current folder.
    """
    if context.system == "Windows":
        candidates = []
        system_root = context.windows_folder("SYSTEMROOT") or context.windows_folder("WINDIR") or "C:\\Windows"
        candidates.append(system_root + "\\System32\\nvidia-smi.exe")
        program_files = context.windows_folder("PROGRAMFILES") or context.windows_folder("PROGRAMW6432")
        if program_files:
            candidates.append(program_files + "\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe")
        for candidate in candidates:
            if context.is_file(candidate):
                return candidate
        return context.which("nvidia-smi")
    found = context.which("nvidia-smi")
    if found:
        return found
    if context.exists(WSL_NVIDIA_SMI):
        return context.path(WSL_NVIDIA_SMI)
    return None


def probe_pci(facts, context):
    """Which GPU makers sit on the PCI bus (Linux), driver or not."""
    hardware = facts["gpu_hardware"]
    if any(gpu["vendor"] == "nvidia" for gpu in facts["gpus"]):
        hardware["nvidia"] = True
    if context.system != "Linux":
        for vendor in ("nvidia", "amd"):
            if hardware[vendor] is None:
                mark_unknown(facts, "gpu_hardware." + vendor, "the PCI bus is only read on Linux")
        return
    devices = context.listdir("/sys/bus/pci/devices")
    if not devices:
        mark_unknown(facts, "gpu_hardware", "/sys/bus/pci/devices is unreadable")
        return
    vendors = set()
    unreadable = 0
    for device in devices:
        base = "/sys/bus/pci/devices/" + device
        device_class = context.read(base + "/class")
        if device_class is None:
            unreadable += 1
        elif device_class.strip().startswith("0x03"):
            vendor = context.read(base + "/vendor")
            if vendor is None:
                unreadable += 1
            vendors.add((vendor or "").strip().lower())
    for vendor, pci_id in (("nvidia", NVIDIA_PCI_VENDOR), ("amd", AMD_PCI_VENDOR)):
        if hardware[vendor] or pci_id in vendors:
            hardware[vendor] = True
        elif unreadable:
            # A device not read (the checker out of open files, say) may be that GPU: not "absent".
            mark_unknown(
                facts,
                "gpu_hardware." + vendor,
                "%d PCI device file(s) under /sys/bus/pci/devices could not be read" % unreadable,
            )
        else:
            hardware[vendor] = False
