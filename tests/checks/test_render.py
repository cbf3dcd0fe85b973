"""Renderers: terminal marks, colour and ASCII fallback; Markdown; stable JSON."""

import io
import json

import jsonschema

from checks.evaluate import evaluate
from checks.facts import new_facts, new_gpu
from checks.render.json_out import render_json
from checks.render.markdown import render_markdown
from checks.render.terminal import render_terminal

SITE = "https://example.test/"


class FakeTTY(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


def sample_report(rules):
    facts = new_facts("probe")
    facts["os"].update(system="Linux", distro={"id": "ubuntu", "id_like": ["debian"], "pretty_name": "Ubuntu | 24.04"})
    facts["python"]["version"] = "3.11.9"
    facts["ram"]["total_bytes"] = 8 * 10**9
    gpu = new_gpu("nvidia", "NVIDIA GeForce GTX 1660 SUPER", "nvidia-smi")
    gpu.update(vram_bytes=5936 * 2**20, driver_version="550.54", cuda_version="12.4")
    facts["gpus"] = [gpu]
    facts["nvidia_smi"]["status"] = "ok"
    facts["disk"].update(measured_path="/home/u", free_bytes=500 * 10**9, rotational=False)
    facts["temp"].update(path="/tmp", is_tmpfs=False, fs_type="ext4", free_bytes=10**11)
    facts["libs"] = {"libGL.so.1": True, "libglib-2.0.so.0": True}
    return evaluate(facts, rules, SITE)


def terminal(report, stream, **options):
    render_terminal(report, stream, **options)
    if isinstance(stream, io.TextIOWrapper):
        stream.flush()
        return stream.buffer.getvalue().decode(stream.encoding)
    return stream.getvalue()


def test_one_line_per_passed_finding_and_fix_indented_below_the_others(rules):
    text = terminal(sample_report(rules), FakeTTY(), environ={"NO_COLOR": "1", "COLUMNS": "300"})
    assert "[\u2713] Solid-state storage: /home/u is on a solid-state drive\n" in text
    failed = text.split("[\u2717] System memory (RAM)\n", 1)[1].splitlines()
    assert failed[0].startswith("    8 GB of RAM")
    assert failed[1] == "    Fix: Add RAM, or close other programs while generating."
    assert "[!] Problematic NVIDIA GPUs" in text
    assert "[\u2717] Stable Diffusion XL: Stable Diffusion XL needs 8 GB VRAM" in text
    assert text.rstrip().endswith("Verdict: not ready: a requirement failed.")


def test_lines_wrap_at_the_terminal_width_at_spaces_keeping_their_indent(rules):
    report = sample_report(rules)
    text = terminal(report, FakeTTY(), environ={"NO_COLOR": "1", "COLUMNS": "60"}, verbose=True)
    lines = text.splitlines()
    # Only a word longer than the width (a URL) may stick out, alone on its line.
    assert all(len(line) <= 60 or len(line.split()) == 1 for line in lines)
    detail = next(item["detail"] for item in report["findings"] if item["id"] == "gpu.vram")
    start = next(
        index
        for index, line in enumerate(lines)
        if line.startswith("    ") and len(line.strip()) > 40 and detail.startswith(line.strip())
    )
    block = []
    for line in lines[start:]:
        if not line.startswith("    ") or line.lstrip().startswith(("Fix:", "More:")):
            break
        block.append(line)
    assert len(block) > 1, "the VRAM detail should need several lines at 60 columns"
    assert " ".join(line.strip() for line in block) == detail
    assert all(line.startswith("    ") and not line.startswith("     ") for line in block)
    # A pipe or a file gets whole lines; a terminal's own width applies when COLUMNS is unset.
    assert max(len(line) for line in terminal(report, io.StringIO(), environ={}).splitlines()) > 60


def test_no_gpu_is_said_once_under_a_fitting_heading(rules):
    facts = new_facts("probe")
    facts["os"].update(system="Linux")
    facts["gpu_hardware"] = {"nvidia": False, "amd": False}
    facts["nvidia_smi"]["status"] = "missing"
    text = terminal(evaluate(facts, rules, SITE), io.StringIO(), environ={})
    assert text.count("No dedicated GPU") == 1
    assert "Models on this machine's GPU" not in text and "Model families on this machine:" in text


def test_a_name_cut_short_stays_whole_in_a_one_line_summary():
    from checks.render.terminal import first_sentence

    assert (
        first_sentence("NVIDIA GeForce GTX 108... is not in a problematic series.")
        == "NVIDIA GeForce GTX 108... is not in a problematic series"
    )
    assert (
        first_sentence("GeForce GTX 108...: not in a problematic series.")
        == "GeForce GTX 108...: not in a problematic series"
    )
    assert (
        first_sentence("Python 3.11.9 (Invoke supports 3.10 or 3.11). More here.")
        == "Python 3.11.9 (Invoke supports 3.10 or 3.11)"
    )


def test_verbose_shows_the_detail_of_passed_findings(rules):
    report = sample_report(rules)
    quiet = terminal(report, FakeTTY(), environ={"NO_COLOR": "1"})
    loud = terminal(report, FakeTTY(), environ={"NO_COLOR": "1"}, verbose=True)
    assert "More: %srequirements/#disk.ssd" % SITE not in quiet
    assert "More: %srequirements/#disk.ssd" % SITE in loud


def test_colour_only_on_a_tty_without_no_color(rules):
    report = sample_report(rules)
    assert "\033[" in terminal(report, FakeTTY(), environ={})
    assert "\033[" not in terminal(report, FakeTTY(), environ={"NO_COLOR": ""})
    assert "\033[" not in terminal(report, io.StringIO(), environ={})


def test_ascii_marks_when_the_stream_cannot_encode_the_unicode_ones(rules):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    text = terminal(sample_report(rules), stream, environ={})
    assert "[OK] Solid-state storage" in text and "[X] System memory (RAM)" in text
    assert "\u2713" not in text and "\033[" not in text


def test_markdown_has_a_details_block_with_findings_models_and_facts(rules):
    text = render_markdown(sample_report(rules))
    assert text.startswith("<details><summary>") and "</details>" in text
    assert "| System memory (RAM) | 8 GB of RAM" in text
    assert "| Stable Diffusion XL | Stable Diffusion XL needs 8 GB VRAM" in text
    assert "NVIDIA GeForce GTX 1660 SUPER (6.2 GB)" in text
    assert "Ubuntu \\| 24.04" in text  # pipes cannot break the table


def test_json_is_stable_and_round_trips(rules):
    report = sample_report(rules)
    text = render_json(report)
    assert json.loads(text) == report
    assert text == render_json(json.loads(text))
    assert text.index('"checker"') < text.index('"facts"') < text.index('"findings"')


def test_reports_validate_against_the_published_schema(rules, project_root):
    schema = json.loads((project_root / "docs" / "reference" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(render_json(sample_report(rules)))
    jsonschema.Draft202012Validator(schema).validate(report)
    browser = json.loads(render_json(evaluate(new_facts("browser"), rules, SITE)))
    jsonschema.Draft202012Validator(schema).validate(browser)
    report["summary"]["verdict"] = "fine"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(report))


def test_markdown_leaves_out_what_the_run_did_not_probe(rules):
    # --only ram.total probes no GPU, disk or temp: the block must not show None or "none found".
    facts = new_facts("probe")
    facts["ram"]["total_bytes"] = 16 * 2**30
    text = render_markdown(evaluate(facts, rules, "https://example.invalid/", only=["ram.total"]))
    assert "| GPUs | not checked |" in text
    assert "None" not in text
    assert "Disk free" not in text and "| Temp |" not in text and "| nvidia-smi |" not in text
