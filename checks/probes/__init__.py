"""Probes: gather facts (see checks/facts.py) from the machine this runs on.

Each probe fills one section. A probe that raises is recorded in
facts["probe_errors"] and the others still run; nothing here writes, prompts
or reaches the network.

The tools run side by side: first every probe that calls tools begins the
calls it will make (its start_ function), all at once; then the probes run one
after another and take those calls' results. A machine with nvidia-smi,
rocm-smi and other Pythons waits about as long as its slowest tool takes, not
the sum of them all.
"""

from ..facts import clean_facts, new_facts
from .context import Platform, ProbeContext  # noqa: F401  (Platform: for callers that probe as another OS)
from .disk import probe_disk
from .interpreters import probe_python, start_python
from .memory import probe_memory
from .nvidia import probe_nvidia, probe_pci, start_nvidia
from .platform_info import probe_os, start_os
from .temp import probe_temp

# In this order: apple reads the os section, gpu_hardware reads the GPUs found.
SECTIONS = ("os", "python", "ram", "nvidia", "amd", "apple", "gpu_hardware", "disk", "temp", "libs", "windows", "macos")
# The sections probed on one OS only (platform.system()'s name), by their probes'
# own first test; the others are probed everywhere.
ONLY_ON = {"amd": "Linux", "apple": "Darwin", "libs": "Linux", "windows": "Windows", "macos": "Darwin"}


def gather_facts(
    install_dir=None,
    nvidia_smi_text=None,
    root="/",
    env=None,
    only_sections=None,
    rules=None,
    sonames=None,
    platform_info=None,
    registry=None,
    side_by_side=True,
):
    """Probe the machine (or the fake one under `root`) and return facts.

    install_dir: where Invoke would go; by default the rules' app root_env_var
    from `env` when set, else app.default_root. sonames: the libraries to try
    loading; by default those of the rules' libs.opencv. only_sections: names
    from SECTIONS to run (all by default). platform_info: the `Platform` to
    probe as (this machine's by default). registry: a Windows registry
    reader for ProbeContext (winreg on Windows by default). side_by_side: begin
    every tool call at once (False: each when its probe gets to it; the facts
    are the same).
    """
    facts = new_facts("probe")
    context = ProbeContext(root=root, env=env, rules=rules, platform_info=platform_info, registry=registry)
    probes = {
        "os": lambda: probe_os(facts, context),
        "python": lambda: probe_python(facts, context),
        "ram": lambda: probe_memory(facts, context),
        "nvidia": lambda: probe_nvidia(facts, context, nvidia_smi_text),
        "amd": lambda: _amd().probe_amd(facts, context),
        "apple": lambda: _apple().probe_apple(facts, context),
        "gpu_hardware": lambda: probe_pci(facts, context),
        "disk": lambda: probe_disk(facts, context, install_dir),
        "temp": lambda: probe_temp(facts, context),
        "libs": lambda: _libs().probe_libs(facts, context, sonames),
        "windows": lambda: _windows().probe_windows(facts, context),
        "macos": lambda: _macos().probe_macos(facts, context),
    }
    starts = {
        "os": lambda: start_os(context),
        "python": lambda: start_python(context),
        "nvidia": lambda: start_nvidia(context, nvidia_smi_text),
        "amd": lambda: _amd().start_amd(context),
        "apple": lambda: _apple().start_apple(context),
        "macos": lambda: _macos().start_macos(context),
    }
    # The probes of one OS only do nothing elsewhere: there they are not even
    # imported, so check.py, which compiles a module when it is first
    # imported, compiles no other OS's probes.
    names = [
        name
        for name in SECTIONS
        if (only_sections is None or name in only_sections) and ONLY_ON.get(name, context.system) == context.system
    ]
    for name in names:
        if side_by_side and name in starts:
            try:
                starts[name]()
            except Exception:  # nothing started: the probe makes its calls itself, and records what fails
                pass
    for name in names:
        try:
            probes[name]()
        except Exception as exc:  # one broken probe must not hide the others' facts
            facts["probe_errors"][name] = "%s: %s" % (type(exc).__name__, exc)
    context.finish()
    return clean_facts(facts)


# The probes of one OS, imported when that OS is probed (see ONLY_ON).
def _amd():
    from . import amd

    return amd


def _apple():
    from . import apple

    return apple


def _libs():
    from . import libs

    return libs


def _windows():
    from . import windows

    return windows


def _macos():
    from . import macos_tools

    return macos_tools
