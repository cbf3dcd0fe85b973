"""The shapes of facts, findings and reports, for type checkers (mypy) and readers.

Imported only under TYPE_CHECKING: the checker never loads `typing` at run
time. The runtime contract of facts is the field table in checks/facts.py;
tests/checks/test_facts_contract.py keeps these TypedDicts to the same keys.
"""

from typing import Any, Dict, List, Optional, TypedDict

Rules = Dict[str, Any]  # the validated rules file (see rules/requirements.schema.json)


class Distro(TypedDict, total=False):
    id: Optional[str]
    id_like: Optional[List[str]]
    version_id: Optional[str]
    pretty_name: Optional[str]


class OsFacts(TypedDict, total=False):
    system: Optional[str]
    release: Optional[str]
    version: Optional[str]
    machine: Optional[str]
    distro: Optional[Distro]
    wsl: Optional[bool]
    apple_silicon: Optional[bool]
    rosetta: Optional[bool]


class OtherPython(TypedDict, total=False):
    version: str
    path: Optional[str]


class PythonFacts(TypedDict, total=False):
    version: Optional[str]
    executable: Optional[str]
    implementation: Optional[str]
    others: List[OtherPython]
    bits: Optional[int]
    microsoft_store: Optional[bool]
    path_python: Optional[str]
    path_python_kind: Optional[str]
    framework: Optional[bool]
    cafile: Optional[str]
    cafile_present: Optional[bool]


class RamFacts(TypedDict, total=False):
    total_bytes: Optional[int]
    source: Optional[str]
    cgroup_limit_bytes: Optional[int]


class Gpu(TypedDict, total=False):
    vendor: str
    name: str
    name_truncated: Optional[bool]
    name_exact: Optional[bool]
    vram_bytes: Optional[int]
    vram_is_estimate: Optional[bool]
    driver_version: Optional[str]
    cuda_version: Optional[str]
    rocm_version: Optional[str]
    compute_capability: Optional[str]
    mig: Optional[bool]
    source: Optional[str]


class GpuHardware(TypedDict, total=False):
    nvidia: Optional[bool]
    amd: Optional[bool]


class NvidiaSmiFacts(TypedDict, total=False):
    status: str
    path: Optional[str]
    failure: Optional[str]
    message: Optional[str]
    exit_code: Optional[int]


class RocmSmiFacts(TypedDict, total=False):
    status: str
    path: Optional[str]
    driver_version: Optional[str]
    rocm_version: Optional[str]
    message: Optional[str]


class DiskFacts(TypedDict, total=False):
    install_dir: Optional[str]
    measured_path: Optional[str]
    free_bytes: Optional[int]
    total_bytes: Optional[int]
    rotational: Optional[bool]


class TempFacts(TypedDict, total=False):
    path: Optional[str]
    mount_point: Optional[str]
    fs_type: Optional[str]
    is_tmpfs: Optional[bool]
    free_bytes: Optional[int]
    total_bytes: Optional[int]


class WindowsFacts(TypedDict, total=False):
    long_paths: Optional[bool]
    vc_runtime: Dict[str, Optional[bool]]


class MacosFacts(TypedDict, total=False):
    xcode_cli: Optional[bool]
    xcode_path: Optional[str]


class Facts(TypedDict, total=False):
    schema: str
    origin: str
    os: OsFacts
    python: PythonFacts
    ram: RamFacts
    gpus: List[Gpu]
    gpu_hardware: GpuHardware
    nvidia_smi: NvidiaSmiFacts
    rocm_smi: RocmSmiFacts
    disk: DiskFacts
    temp: TempFacts
    windows: WindowsFacts
    macos: MacosFacts
    libs: Dict[str, Optional[bool]]
    browser: Dict[str, Any]
    unknown: Dict[str, str]
    probe_errors: Dict[str, str]
    sanitized: Dict[str, str]


class Finding(TypedDict):
    id: str
    status: str
    title: str
    detail: str
    fix: Optional[str]
    docs: Optional[str]


class ModelVerdict(TypedDict):
    id: str
    name: str
    status: str
    reason: str


class Report(TypedDict):
    schema: str
    checker: Dict[str, Any]
    release: Dict[str, Optional[str]]
    facts: Facts
    findings: List[Finding]
    models: List[ModelVerdict]
    summary: Dict[str, Any]
