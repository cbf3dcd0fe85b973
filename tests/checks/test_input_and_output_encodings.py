"""Input files read alike in every encoding Windows tools write; reports to files are UTF-8."""

import io
import json
import os
import sys
import time

import pytest
from test_cli import healthy_facts, one_line_error, probed  # noqa: F401  (the fixture, used by name)

from checks import cli
from checks.input_file import MAX_INPUT_BYTES, InputError, read_input
from checks.probes import Platform
from checks.probes.context import ProbeContext
from checks.probes.disk import expand_home
from checks.probes.storage import nearest_existing

USER = "C:\\Users\\Jos\u00e9\u738b"
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    # Windows PowerShell 5.1's `>`: UTF-16 LE with a BOM, CRLF line ends.
    "utf-16 le with BOM": lambda text: b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"),
    "utf-16 be with BOM": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
}


def _facts_with_user_folder():
    facts = healthy_facts()
    facts["os"].update(system="Windows", release="11", distro=None)
    facts["disk"].update(install_dir=USER + "\\invokeai", measured_path=USER)
    return facts


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.usefixtures("probed")
def test_saved_facts_read_alike_in_every_encoding(encoding, tmp_path, capsys):
    text = json.dumps(_facts_with_user_folder(), ensure_ascii=False, indent=1)
    plain, encoded = tmp_path / "plain.json", tmp_path / "encoded.json"
    plain.write_bytes(text.encode("utf-8"))
    encoded.write_bytes(ENCODINGS[encoding](text))
    cli.main(["--facts", str(plain), "--json"])
    expected = json.loads(capsys.readouterr().out)
    cli.main(["--facts", str(encoded), "--json"])
    again = json.loads(capsys.readouterr().out)
    assert again["findings"] == expected["findings"]
    assert again["facts"]["disk"]["measured_path"] == USER


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.usefixtures("probed")
def test_a_saved_nvidia_smi_table_reads_alike_in_every_encoding(encoding, tmp_path, capsys, project_root):
    case = project_root / "tests/fixtures/corpus/windows-system32-nvidia-smi"
    table = (case / "nvidia-smi.txt").read_text(encoding="utf-8")
    saved = tmp_path / "smi.txt"
    saved.write_bytes(ENCODINGS[encoding](table))
    assert cli.read_nvidia_smi(str(saved)).replace("\r\n", "\n") == table


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    started = time.time()
    with pytest.raises(InputError, match="not a regular file"):
        read_input(str(fifo))  # no writer: must not wait for one
    assert time.time() - started < 5
    with pytest.raises(InputError, match="not a regular file"):
        read_input("/dev/zero")
    with pytest.raises(InputError, match="folder"):
        read_input(str(tmp_path))


def test_every_read_is_bounded(tmp_path):
    big = tmp_path / "big.json"
    with open(str(big), "wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(InputError, match="larger than"):
        read_input(str(big))
    with pytest.raises(InputError, match="larger than"):
        read_input("-", stdin=io.BytesIO(b" " * (MAX_INPUT_BYTES + 1)))
    assert read_input("-", stdin=io.BytesIO(b"\xff\xfe" + "{}".encode("utf-16-le"))) == "{}"


@pytest.mark.usefixtures("probed")
def test_a_refused_input_is_one_line_and_exit_2(capsys):
    assert cli.main(["--facts", "/dev/zero"]) == 2
    assert "--facts /dev/zero: cannot read: not a regular file" in one_line_error(capsys)


class Redirected(io.TextIOWrapper):
    """sys.stdout as Windows Python has it when redirected to a file: the ANSI code page."""

    def __init__(self):
        super(Redirected, self).__init__(io.BytesIO(), encoding="cp1252")

    def isatty(self):
        return False


class Console(Redirected):
    def isatty(self):
        return True


@pytest.mark.parametrize(
    "option,expected",
    [
        ([], "Jos\u00e9\u738b"),
        (["--json"], "Jos\u00e9\u738b"),
        (["--markdown"], "\u2705"),  # the Markdown block hides the user folder, not its marks
    ],
)
@pytest.mark.usefixtures("probed")
def test_reports_to_a_file_are_utf8(option, expected, tmp_path, monkeypatch):
    saved = tmp_path / "facts.json"
    saved.write_text(json.dumps(_facts_with_user_folder(), ensure_ascii=False), encoding="utf-8")
    stream = Redirected()
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    assert cli.main(["--facts", str(saved)] + option) in (0, 1)
    text = stream.buffer.getvalue().decode("utf-8")
    assert expected in text


@pytest.mark.usefixtures("probed")
def test_a_console_keeps_its_encoding_and_an_ascii_fallback(tmp_path, monkeypatch):
    saved = tmp_path / "facts.json"
    saved.write_text(json.dumps(_facts_with_user_folder(), ensure_ascii=False), encoding="utf-8")
    stream = Console()
    monkeypatch.setattr(sys, "stdout", stream)
    assert cli.main(["--facts", str(saved)]) in (0, 1)
    text = stream.buffer.getvalue().decode("cp1252")
    assert "[OK]" in text and "C:\\Users\\Jos\u00e9?" in text


@pytest.mark.usefixtures("probed")
def test_a_chosen_pythonioencoding_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    stream = Redirected()
    assert cli.report_stream(stream, os.environ) is stream and stream.encoding == "cp1252"


WINDOWS = Platform(system="Windows", release="10", version="10.0.19045", machine="AMD64")


def test_windows_home_folders_are_joined_the_windows_way():
    assert expand_home("~/invokeai", {"USERPROFILE": USER, "HOME": "/c/Users/x"}, "Windows") == USER + "\\invokeai"
    assert expand_home("~", {"HOMEDRIVE": "D:", "HOMEPATH": "\\Users\\y"}, "Windows") == "D:\\Users\\y"
    assert expand_home("~/invokeai", {"HOME": "/home/u"}, "Linux") == "/home/u/invokeai"


def test_the_nearest_existing_windows_folder(tmp_path):
    context = ProbeContext(root=str(tmp_path), env={}, platform_info=WINDOWS)
    os.makedirs(context.path(USER))
    assert nearest_existing(context, USER + "\\invokeai\\models") == USER
    assert nearest_existing(context, "D:\\nowhere") is None
