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
    backend = torch_backend(check.facts, check.rules)
    sizes = check.values["base_install"]
    if not isinstance(sizes, dict):
        # One size for every torch backend.
        base, install = parse_size(sizes), "the base install"
    else:
        install = "the %s install" % BACKEND_NAMES.get(backend, backend)
        if backend in sizes:
            base = parse_size(sizes[backend])
        else:
            base = max(parse_size(size) for size in sizes.values())
    # images and models are optional: a release may state neither.
    images = check.values["images"] if "images" in check.values else None
    first = base + (parse_size(images) if images else 0)
    models, models_words = models_room(check)
    where = disk.get("measured_path") or disk.get("install_dir") or "the install folder"
    detail = "%s free at %s; Invoke needs %s for %s%s" % (
        format_gb(free),
        where,
        format_gb(first),
        install,
        " and your images" if images else "",
    )
    if models is None:
        detail += "."
        return check.failed(detail) if free < first else check.passed(detail)
    with_models = first + models
    detail += ", %s with models (%s)." % (format_gb(with_models), models_words)
    if free < first:
        return check.failed(detail)
    if free < with_models:
        return check.result("warn", detail, check.rule["fix"])
    return check.passed(detail)


def models_room(check):
    """(bytes, words) of the room the rule asks for models, or (None, None) when it asks for none.

    Without a `models` size of its own, the smallest `disk_models` of the model
    families: the least a user of one family needs.
    """
    models = check.values["models"] if "models" in check.values else None
    if models:
        return parse_size(models), models
    sized = [
        (parse_size(family["disk_models"]), family)
        for family in check.rules.get("model_families") or []
        if family.get("disk_models")
    ]
    if not sized:
        return None, None
    need, family = min(sized, key=lambda item: item[0])
    if len(sized) == 1:
        return need, "%s for %s's models" % (family["disk_models"], family["name"])
    return need, "%s for %s's models, the smallest model family's" % (family["disk_models"], family["name"])


def installer_command(check):
    """The command that starts the installer on this OS, from the installer rule (None without one)."""
    run = check.rule_values("installer.latest").get("run") or {}
    system = ((check.facts.get("os") or {}).get("system") or "Linux").lower()
    key = {"darwin": "macos"}.get(system, system)
    return run.get(key) or run.get("linux")


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
    command = installer_command(check)
    if command:
        start = "Run the installer as TMPDIR=%s %s" % (check.values["alternative_dir"], command)
    else:
        # A release without the zip installer: its own install method, started with TMPDIR set.
        install = (check.rules.get("release") or {}).get("install") or {}
        start = "Start %s with TMPDIR=%s set" % (
            install.get("name") or "the installer",
            check.values["alternative_dir"],
        )
    fix = "%s %s, or run: sudo mount -o remount,size=%s %s" % (
        check.rule["fix"],
        start,
        check.values["remount_size"],
        mount_point,
    )
    return check.failed(detail, fix)
