"""The nvidia_smi section from the nvidia-smi found on this machine, or from a saved output.

Imported by checks/probes/nvidia.py only once there is one of them: a machine
without nvidia-smi never compiles this module or nvidia-smi's parser.
"""

import re

from ..parsers import nvidia_smi as parsers
from .context import mark_unknown, short_message

_REJECTED_FIELD = r'Field "([^"]+)" is not a valid field to query'


def start_calls(context, path, timeout):
    """Begin both calls from_tool makes: the query and the plain table."""
    context.start(_query_args(path, parsers.QUERY_FIELDS), timeout=timeout)
    context.start([path], timeout=timeout)


def from_text(facts, text):
    """The nvidia_smi section and NVIDIA GPUs from a saved nvidia-smi output."""
    _from_text(facts, parsers.parse_nvidia_smi(text))


def from_tool(facts, context, path, timeout):
    """Run the nvidia-smi at `path` (each call stopped after `timeout` s) and read what it says."""
    section = facts["nvidia_smi"]
    query, fields = _query(context, path, timeout)
    section["exit_code"] = query["exit_code"]
    if query["status"] != "ok":
        section["status"] = STATUSES.get(query["status"], "failed")
        section["message"] = _tool_message(query)
        if query["status"] == "unavailable":
            section["exit_code"] = None
            mark_unknown(facts, "nvidia_smi.status", _cannot_tell(query))
            mark_unknown(facts, "gpus", _cannot_tell(query))  # it would have listed the GPUs
        elif query["status"] == "missing":
            section["failure"] = "not-installed"
        elif query["status"] != "timeout":
            section["failure"] = parsers.classify_failure(query["stdout"] + "\n" + query["stderr"], query["exit_code"])
        return
    parsed = parsers.parse_nvidia_smi(query["stdout"], query_fields=fields)
    if not parsed["gpus"]:
        section["status"] = "failed"
        section["message"] = parsed["message"] or parsed["reason"]
        section["failure"] = parsed["failure"]
        return
    section["status"] = "ok"
    # Only the plain table (or -q) prints the CUDA version the driver supports.
    table_run = context.run([path], timeout=timeout)
    if table_run["status"] == "unavailable":
        section["status"] = "unavailable"
        section["message"] = table_run["message"]
        mark_unknown(facts, "nvidia_smi.status", _cannot_tell(table_run))
    cuda, why = _cuda_version(context, path, table_run)
    for gpu in parsed["gpus"]:
        gpu["cuda_version"] = cuda
        facts["gpus"].append(gpu)
    if cuda is None:
        mark_unknown(facts, "nvidia_smi.cuda_version", why)
    if "compute_cap" not in fields:
        mark_unknown(facts, "gpus.compute_capability", "this driver's nvidia-smi cannot report compute_cap")


# run_tool's statuses -> the nvidia_smi section's; "unavailable": the checker could not run it.
STATUSES = {"timeout": "timeout", "missing": "missing", "unavailable": "unavailable"}


def _cannot_tell(result):
    return "Can't tell: %s." % result["message"].rstrip(".")


def _cuda_version(context, path, table_run):
    """(the CUDA version the driver supports, None) or (None, why): the table's banner, else `nvidia-smi -q`."""
    table = parsers.parse_nvidia_smi(table_run["stdout"])
    if table["cuda_version"]:
        return table["cuda_version"], None
    query = context.run([path, "-q"], timeout=8)
    cuda = parsers.cuda_from_query(query["stdout"]) if query["status"] == "ok" else None
    if cuda:
        return cuda, None
    if table_run["status"] == "unavailable" or query["status"] == "unavailable":
        return None, _cannot_tell(table_run if table_run["status"] == "unavailable" else query)
    if table["cuda_note"] == "na":
        return None, (
            "nvidia-smi shows \"CUDA Version: N/A\": this driver reports no CUDA version "
            "(seen on VM hosts and on systems without the CUDA driver library)"
        )
    return None, "neither nvidia-smi's table nor nvidia-smi -q shows a CUDA version"


def _query(context, path, timeout):
    """Run --query-gpu, dropping the fields an older driver rejects."""
    fields = list(parsers.QUERY_FIELDS)
    while True:
        result = context.run(_query_args(path, fields), timeout=timeout)
        rejected = re.search(_REJECTED_FIELD, result["stdout"] + result["stderr"])
        if result["status"] == "ok" or not rejected or rejected.group(1) not in fields[3:]:
            return result, fields
        fields.remove(rejected.group(1))


def _query_args(path, fields):
    return [path, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"]


def _tool_message(result):
    text = "\n".join(part.strip() for part in (result["stdout"], result["stderr"]) if part.strip())
    if result["status"] == "error" and result["message"]:  # stopped: say why before what it printed
        text = result["message"] + ("\n" + text if text else "")
    return short_message(text or result["message"])


# Why a saved output shows no CUDA version, by the parser's cuda_note.
_NO_CUDA_IN_OUTPUT = {
    "csv": "the CUDA version is not in this output (a --query-gpu CSV has no CUDA field): "
    "nvidia-smi shows it in its table's banner",
    "na": "nvidia-smi shows \"CUDA Version: N/A\": this driver reports no CUDA version "
    "(seen on VM hosts and on systems without the CUDA driver library)",
    "no-field": "this nvidia-smi output has no CUDA version (drivers before R410 print none): "
    "nvidia-smi -q may show it",
    "no-banner": "the table's banner, which holds the driver and CUDA versions, is not in this output: "
    "save the whole nvidia-smi output",
}


def _from_text(facts, parsed):
    section = facts["nvidia_smi"]
    if parsed["gpus"]:
        section["status"] = "ok"
        facts["gpus"].extend(parsed["gpus"])
        facts["gpu_hardware"]["nvidia"] = True
        if parsed["cuda_version"] is None:
            mark_unknown(
                facts,
                "nvidia_smi.cuda_version",
                _NO_CUDA_IN_OUTPUT.get(parsed["cuda_note"], "this output shows no CUDA version"),
            )
        if parsed["driver_version"] is None:
            mark_unknown(facts, "nvidia_smi.driver_version", parsed["reason"] or "this output shows no driver version")
        return
    section["failure"] = parsed["failure"]
    section["message"] = parsed["message"] or parsed["reason"]
    section["status"] = "missing" if parsed["failure"] == "not-installed" else "failed"
