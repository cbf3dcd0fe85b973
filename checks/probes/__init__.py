"""Probes: gather facts (see checks/facts.py) from the machine this runs on.

Each probe fills one section. A probe that raises is recorded in
facts["probe_errors"] and the others still run; nothing here writes, prompts
or reaches the network.
"""
from ..facts import clean_facts, new_facts
from .amd import probe_amd
from .apple import probe_apple
from .context import Platform, ProbeContext  # noqa: F401  (Platform: for callers that probe as another OS)
from .disk import probe_disk
from .interpreters import probe_python
from .libs import probe_libs
from .memory import probe_memory
from .nvidia import probe_nvidia, probe_pci
from .platform_info import probe_os
from .temp import probe_temp

# In this order: apple reads the os section, gpu_hardware reads the GPUs found.
SECTIONS = ("os", "python", "ram", "nvidia", "amd", "apple", "gpu_hardware", "disk", "temp", "libs")


def gather_facts(install_dir=None, nvidia_smi_text=None, root="/", env=None, only_sections=None,
                 rules=None, sonames=None, platform_info=None):
    """Probe the machine (or the fake one under `root`) and return facts.

    install_dir: where Invoke would go; by default the rules' app root_env_var
    from `env` when set, else app.default_root. sonames: the libraries to try
    loading; by default those of the rules' libs.opencv. only_sections: names
    from SECTIONS to run (all by default). platform_info: the `Platform` to
    probe as (this machine's by default).
    """
    facts = new_facts("probe")
    context = ProbeContext(root=root, env=env, rules=rules, platform_info=platform_info)
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
    }
    for name in SECTIONS:
        if only_sections is not None and name not in only_sections:
            continue
        try:
            probes[name]()
        except Exception as exc:  # one broken probe must not hide the others' facts
            facts["probe_errors"][name] = "%s: %s" % (type(exc).__name__, exc)
    return clean_facts(facts)
