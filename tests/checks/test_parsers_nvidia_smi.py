"""parse_nvidia_smi against real published outputs and the shapes people paste."""

import json

import pytest

from checks.parsers.nvidia_smi import MIB, parse_nvidia_smi


def _manifest(real_outputs):
    return json.loads((real_outputs / "MANIFEST.json").read_text(encoding="utf-8"))


def test_every_real_nvidia_smi_output_gives_the_manifest_values(real_outputs):
    checked = 0
    for entry in _manifest(real_outputs):
        if not entry["file"].startswith("nvsmi"):
            continue
        text = (real_outputs / entry["file"]).read_text(encoding="utf-8")
        result = parse_nvidia_smi(text)
        where = "%s (%s)" % (entry["file"], entry["source"])
        expected_format = {"nvsmi-table": "table", "nvsmi-csv": "csv", "nvsmi-fail": "failure"}[entry["kind"]]
        assert result["format"] == expected_format, where
        assert len(result["gpus"]) == len(entry["gpus"]), where
        for gpu, want in zip(result["gpus"], entry["gpus"]):
            assert gpu["vendor"] == "nvidia", where
            assert gpu["name"] == want["name"], where
            assert gpu["vram_bytes"] == want["vram_mib"] * MIB, where
            assert gpu["driver_version"] == want["driver_version"], where
            assert gpu["cuda_version"] == want["cuda_version"], where
            assert gpu["name_truncated"] == want.get("truncated", False), where
            if "mig" in want:
                assert gpu["mig"] is want["mig"], where
        if entry["gpus"]:
            assert result["driver_version"] == entry["gpus"][0]["driver_version"], where
        if "nvidia_smi_version" in entry["gpus"][0] if entry["gpus"] else False:
            assert result["smi_version"] == entry["gpus"][0]["nvidia_smi_version"], where
        if entry["kind"] == "nvsmi-fail":
            assert result["message"] == text.strip(), where
        checked += 1
    assert checked >= 19


def test_a_real_csv_capture_gives_compute_capability_and_mig(real_outputs):
    result = parse_nvidia_smi((real_outputs / "nvsmi-csv-03.txt").read_text(encoding="utf-8"))
    assert result["gpus"][0]["compute_capability"] == "9.0"
    assert result["gpus"][0]["mig"] is False
    wide_na = parse_nvidia_smi((real_outputs / "nvsmi-csv-02.txt").read_text(encoding="utf-8"))
    assert wide_na["gpus"][0]["compute_capability"] == "7.5"
    assert wide_na["gpus"][0]["mig"] is None


def test_mig_devices_table_adds_no_gpu(real_outputs):
    result = parse_nvidia_smi((real_outputs / "nvsmi-table-20.txt").read_text(encoding="utf-8"))
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [81559 * MIB]


TABLE = """\
Every 1.0s: nvidia-smi                                  box: Tue Jan  2 10:00:00 2024

+-----------------------------------------------------------------------------+
| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: N/A      |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
|===============================+======================+======================|
|   0  NVIDIA GeForce ...  Off  | 00000000:01:00.0  On |                  N/A |
| 30%   40C    P8    10W / 120W |    100MiB / 12288MiB |      0%      Default |
+-------------------------------+----------------------+----------------------+
"""


def test_watch_header_and_cuda_na():
    result = parse_nvidia_smi(TABLE)
    assert result["format"] == "table"
    assert result["cuda_version"] is None
    assert result["driver_version"] == "470.82.01"
    assert result["gpus"][0]["vram_bytes"] == 12288 * MIB
    assert result["gpus"][0]["name_truncated"] is True


def test_windows_line_endings_and_markdown_list_indent():
    text = "\r\n".join("    " + line for line in TABLE.splitlines())
    result = parse_nvidia_smi("```\r\n" + text + "\r\n```")
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [12288 * MIB]


@pytest.mark.parametrize(
    "text, names, mib, capability, mig",
    [
        ("NVIDIA GeForce RTX 3060, 12288, 535.54.03, 8.6, [N/A]\n", ["NVIDIA GeForce RTX 3060"], [12288], "8.6", None),
        ("NVIDIA GeForce RTX 3060, 12288 MiB, 535.54.03, 8.6\n", ["NVIDIA GeForce RTX 3060"], [12288], "8.6", None),
        ("GeForce GTX 1080 Ti, 11178, 470.57.02\n", ["GeForce GTX 1080 Ti"], [11178], None, None),
        ("Odd, Name, With Commas, 8192, 550.1, 8.9, Enabled\n", ["Odd, Name, With Commas"], [8192], "8.9", True),
        (
            "A100-SXM4-40GB, 40537, 450.80.02, 8.0, Disabled\nA100-SXM4-40GB, 40537, 450.80.02, 8.0, Enabled\n",
            ["A100-SXM4-40GB", "A100-SXM4-40GB"],
            [40537, 40537],
            "8.0",
            False,
        ),
        (
            "name, memory.total [MiB], driver_version\nNVIDIA H100, 81559 MiB, 550.54.15\n",
            ["NVIDIA H100"],
            [81559],
            None,
            None,
        ),
        ("name, memory.total [MiB], driver_version\nA, comma, 1024 MiB, 550.54.15\n", ["A, comma"], [1024], None, None),
    ],
)
def test_query_gpu_csv(text, names, mib, capability, mig):
    result = parse_nvidia_smi(text)
    assert result["format"] == "csv"
    assert [gpu["name"] for gpu in result["gpus"]] == names
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [value * MIB for value in mib]
    assert result["gpus"][0]["compute_capability"] == capability
    assert result["gpus"][0]["mig"] is mig
    assert result["cuda_version"] is None


@pytest.mark.parametrize(
    "text, failure",
    [
        (
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
            "Make sure that the latest NVIDIA driver is installed and running.\n",
            "driver-not-loaded",
        ),
        (
            "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.154\n",
            "driver-library-mismatch",
        ),
        ("No devices were found\n", "no-devices"),
        ("Failed to initialize NVML: Unknown Error\n", "nvml-unknown-error"),
        ("Unable to determine the device handle for GPU0000:07:00.0: Unknown Error\n", "gpu-lost"),
        (
            "NVIDIA-SMI couldn't find libnvidia-ml.so library in your system. Please make sure that the NVIDIA "
            "Display Driver is properly installed and present in your system.\n",
            "nvml-missing",
        ),
        ("zsh: command not found: nvidia-smi\n", "not-installed"),
        ("sh: 1: nvidia-smi: not found\n", "not-installed"),
        (
            "'nvidia-smi' is not recognized as an internal or external command,\noperable program or batch file.\n",
            "not-installed",
        ),
        (
            "nvidia-smi : The term 'nvidia-smi' is not recognized as the name of a cmdlet, function, script file, "
            "or operable program.\n",
            "not-installed",
        ),
        (
            "'nvidia-smi' n'est pas reconnu en tant que commande interne\nou externe, un programme ex\u00e9cutable ou un "
            "fichier de commandes.\n",
            "not-installed",
        ),
        ('Field "compute_cap" is not a valid field to query.\n', None),
    ],
)
def test_failure_texts_are_recognised_and_named_by_their_rules_id(text, failure):
    result = parse_nvidia_smi(text)
    assert result["format"] == "failure"
    assert result["message"] == text.strip()
    assert result["gpus"] == []
    assert result["failure"] == failure


@pytest.mark.parametrize(
    "text",
    [
        "hello world\nthis is\nthree lines of prose\n",
        "Error: the GPU said no\nNVIDIA is great\nnvidia-smi rocks\n",
        "Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: CUDA error\n",
    ],
)
def test_prose_is_not_taken_for_a_failure_message(text):
    assert parse_nvidia_smi(text)["format"] == "unrecognized"


R610_BANNER = "| NVIDIA-SMI 610.57.04              KMD Version: 610.57.04     CUDA UMD Version: 13.3     |"


@pytest.mark.parametrize(
    "banner, driver, cuda",
    [
        (R610_BANNER, "610.57.04", "13.3"),
        (
            "| NVIDIA-SMI 610.62                 KMD Version: 610.62        CUDA UMD Version: 13.3     |",
            "610.62",
            "13.3",
        ),
        (
            "| NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0     |",
            "580.95.05",
            "13.0",
        ),
        ("| NVIDIA-SMI 331.62     Driver Version: 331.62         |", "331.62", None),
        (
            "| NVIDIA-SMI 575.64.03              Driver Version: 575.64.03      CUDA Version: N/A      |",
            "575.64.03",
            None,
        ),
        # a rename nobody has printed yet is still read by what the values are
        ("| NVIDIA-SMI 650.1.2   Kernel Driver Version: 650.1.2   CUDA Runtime Version: 14.1 |", "650.1.2", "14.1"),
    ],
)
def test_banner_versions_are_read_by_what_they_are(banner, driver, cuda):
    table = TABLE.replace(TABLE.splitlines()[3], banner)
    result = parse_nvidia_smi(table)
    assert (result["driver_version"], result["cuda_version"]) == (driver, cuda)


def test_old_drivers_memory_in_mb_means_mib():
    table = TABLE.replace("100MiB / 12288MiB", "6016MB /  6143MB")
    assert [gpu["vram_bytes"] for gpu in parse_nvidia_smi(table)["gpus"]] == [6143 * MIB]


def test_a_board_without_a_memory_figure_has_none_and_says_why():
    table = TABLE.replace("100MiB / 12288MiB", " Not Supported    ")
    result = parse_nvidia_smi(table)
    assert [gpu["vram_bytes"] for gpu in result["gpus"]] == [None]
    assert "Not Supported" in result["reason"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        None,
        42,
        b"\xff\xfe\x00garbage",
        "hello world\n" * 50,
        "| just | a | table |\n",
        "x" * 100000,
        "+---+\n|===|\n",
        "\x00\x01\x02",
    ],
)
def test_garbage_never_raises_and_gives_no_gpu(text):
    result = parse_nvidia_smi(text)
    assert result["gpus"] == []
    assert result["reason"]
    assert result["format"] in ("unrecognized", "table", "failure")


def test_header_without_gpu_rows_says_why():
    result = parse_nvidia_smi(TABLE.split("|===")[0])
    assert result["format"] == "table"
    assert result["gpus"] == []
    assert result["reason"] == "the table lists no GPU"
