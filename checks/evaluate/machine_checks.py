"""ram.total, disk.ssd, disk.free and tmp.space."""

from ..units import format_gb, format_gib, parse_size, sold_size
from . import gpus as gpu_facts
from .registry import GPU_PROBES, rule_check


@rule_check("ram.total", reads=("os", "ram"), errors_from=("ram",))
def check_ram(check):
    ram = check.facts.get("ram") or {}
    total = ram.get("total_bytes")
    if total is None:
        return check.unknown("ram.total_bytes")
    need = parse_size(check.values["min"])
    limit = ram.get("cgroup_limit_bytes")
    if limit is not None and limit < total:
        detail = "%s of RAM, but this container may use only %s" % (format_gb(total), format_gb(limit))
        total = limit
    elif limit is not None and limit == total:
        detail = "%s of RAM (this container's memory limit)" % format_gb(total)
    else:
        sold = sold_size(total)
        detail = ("%s of RAM (%s reported)" % (sold, format_gib(total))) if sold else "%s of RAM" % format_gb(total)
    detail += "; Invoke needs at least %s." % check.values["min"]
    if total >= need:
        return check.passed(detail)
    if (check.facts.get("os") or {}).get("wsl"):
        detail += " WSL gives Linux only part of the host's RAM by default (memory= in .wslconfig raises it)."
    return check.failed(detail)


@rule_check("disk.ssd", reads=("os", "disk"), errors_from=("disk",))
def check_ssd(check):
    disk = check.facts.get("disk") or {}
    rotational = disk.get("rotational")
    where = disk.get("measured_path") or disk.get("install_dir") or "the install folder"
    if rotational is None:
        return check.unknown("disk.rotational")
    if rotational:
        return check.with_status(
            check.values["rotational_status"], "%s is on a spinning hard disk: models load slowly." % where
        )
    return check.passed("%s is on a solid-state drive." % where)


def torch_backend(facts, rules):
    """The torch backend the installer would pick: a backend id of the rules (cuda, rocm, mps) or cpu."""
    gpu, backend, _ = gpu_facts.best_gpu(facts, rules)
    if backend is not None and gpu_facts.runs_here(backend, facts) is not False:
        return backend["id"]
    hardware = facts.get("gpu_hardware") or {}
    os_facts = facts.get("os") or {}
    for backend in rules.get("backends") or []:
        seen = hardware.get(backend["vendor"]) or (backend["vendor"] == "apple" and os_facts.get("apple_silicon"))
        if seen and gpu_facts.runs_here(backend, facts) is not False:
            return backend["id"]
    return "cpu"


# The torch backends as a reader names the install: "the CPU-only install".
BACKEND_NAMES = {"cuda": "NVIDIA (CUDA)", "rocm": "AMD (ROCm)", "mps": "Apple Silicon (MPS)", "cpu": "CPU-only"}


@rule_check("disk.free", reads=("os", "disk", "gpu_hardware") + GPU_PROBES, errors_from=("disk",))
def check_disk_free(check):
    disk = check.facts.get("disk") or {}
    free = disk.get("free_bytes")
    if free is None:
        return check.unknown("disk.free_bytes")
    sizes = check.values["base_install"]
    backend = torch_backend(check.facts, check.rules)
    if backend in sizes:
        base = parse_size(sizes[backend])
    else:
        base = max(parse_size(size) for size in sizes.values())
    app_and_images = base + parse_size(check.values["images"])
    with_models = app_and_images + parse_size(check.values["models"])
    where = disk.get("measured_path") or disk.get("install_dir") or "the install folder"
    detail = "%s free at %s; Invoke needs %s for the %s install and your images, %s with models (%s)." % (
        format_gb(free),
        where,
        format_gb(app_and_images),
        BACKEND_NAMES.get(backend, backend),
        format_gb(with_models),
        check.values["models"],
    )
    if free < app_and_images:
        return check.failed(detail)
    if free < with_models:
        return check.result("warn", detail, check.rule["fix"])
    return check.passed(detail)


def installer_command(check):
    """The command that starts the installer on this OS, from the installer rule."""
    run = check.rule_values("installer.latest").get("run") or {}
    system = ((check.facts.get("os") or {}).get("system") or "Linux").lower()
    key = {"darwin": "macos"}.get(system, system)
    return run.get(key) or run.get("linux") or "the installer"


@rule_check("tmp.space", reads=("os", "temp"), errors_from=("temp",))
def check_tmp(check):
    temp = check.facts.get("temp") or {}
    path = temp.get("path") or "the temporary directory"
    is_tmpfs = temp.get("is_tmpfs")
    if is_tmpfs is None:
        return check.unknown("temp.is_tmpfs")
    if not is_tmpfs:
        fs_type = temp.get("fs_type")
        kind = " (%s)" % fs_type if fs_type else ""
        return check.passed(
            "%s is on disk%s, not in RAM: the installer has the disk's free space there." % (path, kind)
        )
    free = temp.get("free_bytes")
    if free is None:
        return check.unknown("temp.free_bytes")
    need = parse_size(check.values["min_free"])
    detail = "%s is a tmpfs (held in RAM) with %s free; the installer needs %s there." % (
        path,
        format_gb(free),
        check.values["min_free"],
    )
    if free >= need:
        return check.passed(detail)
    mount_point = temp.get("mount_point") or path
    fix = "%s Run the installer as TMPDIR=%s %s, or run: sudo mount -o remount,size=%s %s" % (
        check.rule["fix"],
        check.values["alternative_dir"],
        installer_command(check),
        check.values["remount_size"],
        mount_point,
    )
    return check.failed(detail, fix)
