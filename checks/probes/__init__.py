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
from .amd import probe_amd, start_amd
from .apple import probe_apple, start_apple
from .context import Platform, ProbeContext  # noqa: F401  (Platform: for callers that probe as another OS)
from .disk import probe_disk
from .interpreters import probe_python, start_python
from .libs import probe_libs
from .macos_tools import probe_macos, start_macos
from .memory import probe_memory
from .nvidia import probe_nvidia, probe_pci, start_nvidia
from .platform_info import probe_os, start_os
from .temp import probe_temp
from .windows import probe_windows

# In this order: apple reads the os section, gpu_hardware reads the GPUs found.
SECTIONS = ("os", "python", "ram", "nvidia", "amd", "apple", "gpu_hardware", "disk", "temp", "libs", "windows", "macos")


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
        "amd": lambda: probe_amd(facts, context),
        "apple": lambda: probe_apple(facts, context),
        "gpu_hardware": lambda: probe_pci(facts, context),
        "disk": lambda: probe_disk(facts, context, install_dir),
        "temp": lambda: probe_temp(facts, context),
        "libs": lambda: probe_libs(facts, context, sonames),
        "windows": lambda: probe_windows(facts, context),
        "macos": lambda: probe_macos(facts, context),
    }
    starts = {
        "os": lambda: start_os(context),
        "python": lambda: start_python(context),
        "nvidia": lambda: start_nvidia(context, nvidia_smi_text),
        "amd": lambda: start_amd(context),
        "apple": lambda: start_apple(context),
        "macos": lambda: start_macos(context),
    }
    names = [name for name in SECTIONS if only_sections is None or name in only_sections]
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
