"""7. The commands the site shows for users to run do run, as shown, against the built check.py.

Every code block (and inline code) that mentions check.py is replayed line by
line in a fresh folder holding the built check.py:
- a download from the site URL piped into Python (`curl -fsSL <site>check.py | python3 - --json`)
  runs as `python3 - --json < site/check.py`;
- `python3 check.py ARGS` (also `python`, `py -3`, `./check.py`) runs the built script,
  with `> FILE` written into the folder, so a later line can read it;
- a download to a file (`curl -fsSLO`, `Invoke-WebRequest -OutFile`) copies the built file,
  so its URL must exist in the site;
- `sha256sum -c` / `shasum -a 256 -c` run as shown (where installed);
- `<tool> [args] > FILE` for a tool whose output the fixture corpus (or the published
  outputs in tests/fixtures/real-outputs) holds stands that sample in;
- other lines are left alone.
Exit code 0 or 1 is "runs"; anything else, or a traceback, is not. Options shown
alone in inline code (`--json`) must be options of the script.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from macros.script_bundle import SCRIPT_NAME

from .problems import problem

CHECK = 7
PYTHONS = ("python", "python3", "py")
DOWNLOADERS = ("curl", "wget", "Invoke-WebRequest", "iwr", "irm", "Invoke-RestMethod")
CHECKSUMMERS = ("sha256sum", "shasum")
SEPARATORS = ("|", "||", "&&", ";")
TIMEOUT_S = 120
RUNS_THE_SCRIPT = re.compile(r"\b(?:python3?|py)\b[^\n]*\bcheck\.py\b|\bcheck\.py\s*\|\s*python")
OPTION_ALONE = re.compile(r"^(--?[a-z][\w-]*)(?:\s+[A-Z_]+)?$")


def verify(project, pages):
    script = project.site_dir / SCRIPT_NAME
    if not script.is_file():
        return [problem(CHECK, "the built site has no %s to run the commands with" % SCRIPT_NAME)], 0
    problems, checked, done = [], 0, set()
    help_text = _run([sys.executable, str(script), "--help"], project.root)[1]
    for path, page in sorted(pages.items()):
        for code in page.code:
            if not code.block and OPTION_ALONE.match(code.text.strip()) and _runs_the_script(page):
                checked += 1
                option = OPTION_ALONE.match(code.text.strip()).group(1)
                if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(option), help_text):
                    problems.append(
                        _at(
                            project,
                            path,
                            code.line,
                            option,
                            "option %s is not an option of %s (see --help)" % (option, SCRIPT_NAME),
                        )
                    )
                continue
            if SCRIPT_NAME not in code.text or code.text in done:
                continue
            done.add(code.text)
            ran, found = _replay(project, code)
            checked += ran
            problems += [_at(project, path, code.line, shown, why) for shown, why in found]
    return problems, checked


def _runs_the_script(page):
    """Options alone are checked on the pages that document the script: those with a block that runs it."""
    return any(code.block and RUNS_THE_SCRIPT.search(code.text) for code in page.code)


def _replay(project, code):
    """Run the lines of one code block in one fresh folder: (commands run, [(line, why it failed)])."""
    ran, failures = 0, []
    with tempfile.TemporaryDirectory(prefix="verify-commands-") as folder:
        folder = Path(folder)
        shutil.copyfile(str(project.site_dir / SCRIPT_NAME), str(folder / SCRIPT_NAME))
        for line in code.text.splitlines():
            shown = line.strip()
            if shown.startswith("$ "):
                shown = shown[2:]
            try:
                segments = _segments(shown)
            except ValueError:
                continue
            if not segments:
                continue
            why = _run_line(project, segments, folder)
            if why is not None:
                ran += 1
                if why:
                    failures.append((shown, why))
    return ran, failures


def _segments(line):
    """The line cut at | || && ; into argument lists, shell comments dropped."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    segments, current = [], []
    for token in lexer:
        if token in SEPARATORS:
            segments.append((current, token))
            current = []
        else:
            current.append(token)
    segments.append((current, None))
    return [(words, separator) for words, separator in segments if words]


def _run_line(project, segments, folder):
    """None when the line is not one of the script's commands; "" when it ran; else why it did not."""
    first, separator = segments[0]
    command = _program(first)
    if command in DOWNLOADERS:
        url = next((word for word in first if "://" in word or word.startswith(project.site_url)), None)
        site_file = _site_file(project, url) if url else None
        if url and site_file is None:
            return "downloads %s, which the built site does not have" % url
        if separator == "|" and len(segments) > 1 and _program(segments[1][0]) in PYTHONS:
            if site_file is None:
                return None
            args = _python_args(segments[1][0])
            if args[:1] != ["-"]:
                return "pipes the download into %s without '-'" % " ".join(segments[1][0])
            return _outcome(_run([sys.executable] + args, folder, stdin=site_file))
        if site_file is not None:
            shutil.copyfile(str(site_file), str(folder / _download_name(first, url)))
            return ""
        return None
    if command in PYTHONS or first[0].endswith("/" + SCRIPT_NAME):
        args = _python_args(first) if command in PYTHONS else [first[0]] + first[1:]
        if not args or not args[0].endswith(SCRIPT_NAME):
            return None
        args, output = _redirect(args)
        script = folder / Path(args[0]).name
        code, out, _ = _run([sys.executable, str(script)] + args[1:], folder)
        if output:
            (folder / output).write_text(out, encoding="utf-8")
        return _outcome((code, out, _))
    if command in CHECKSUMMERS and shutil.which(command) and "-c" in first:
        code, out, err = _run(first, folder)
        return "" if code == 0 else "%s failed (exit code %s): %s" % (command, code, (out + err).strip()[:200])
    args, output = _redirect(first)
    if output and args:
        sample = _corpus_sample(project, args[0])
        if sample:
            shutil.copyfile(str(sample), str(folder / output))
    return None


def _program(words):
    return os.path.basename(words[0]) if words else ""


def _python_args(words):
    """`python3 - --json` -> ["-", "--json"]; `py -3 check.py` -> ["check.py"]."""
    args = list(words[1:])
    while args and re.match(r"^-\d+(\.\d+)?$", args[0]):
        args = args[1:]
    return args


def _redirect(args):
    """(arguments, file that `> FILE` sends stdout to)."""
    if ">" in args:
        index = args.index(">")
        return args[:index], args[index + 1] if index + 1 < len(args) else None
    return args, None


def _site_file(project, url):
    target = project.url_to_site_path(url)
    if target is None or not target[0].is_file():
        return None
    return target[0]


def _download_name(words, url):
    for flag in ("-OutFile", "-o", "-O", "--output"):
        if flag in words and words.index(flag) + 1 < len(words) and not words[words.index(flag) + 1].startswith("http"):
            return words[words.index(flag) + 1]
    return url.rstrip("/").rsplit("/", 1)[-1]


def _corpus_sample(project, tool):
    """A recorded output of `tool`: from the fixture corpus, else a published one (tests/fixtures/real-outputs)."""
    corpus = project.root / "tests" / "fixtures" / "corpus"
    samples = sorted(corpus.glob("*/%s.txt" % tool)) if corpus.is_dir() else []
    if samples:
        return samples[0]
    real = project.root / "tests" / "fixtures" / "real-outputs"
    for expected in sorted(real.glob("*/expected.json")) if real.is_dir() else []:
        try:
            kind = json.loads(expected.read_text(encoding="utf-8")).get("kind")
        except ValueError:
            continue
        if kind == tool.replace("_", "-"):
            return expected.parent / "output.txt"
    return None


def _run(args, cwd, stdin=None):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("PYTHONPATH", None)
    try:
        with open(str(stdin), "rb") if stdin else open(os.devnull, "rb") as handle:
            result = subprocess.run(
                [str(arg) for arg in args], cwd=str(cwd), stdin=handle, capture_output=True, timeout=TIMEOUT_S, env=env
            )
    except subprocess.TimeoutExpired:
        return None, "", "did not finish within %d s" % TIMEOUT_S
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def _outcome(result):
    code, out, err = result
    if code is None:
        return err
    if "Traceback (most recent call last)" in out + err:
        return "ended with a traceback (exit code %s): %s" % (code, err.strip().splitlines()[-1] if err.strip() else "")
    if code not in (0, 1):
        return "exit code %s: %s" % (code, " ".join(err.split())[:200])
    return ""


def _at(project, html_path, html_line, shown, why):
    source = project.source_page(html_path)
    tail = shown.split(SCRIPT_NAME, 1)[-1].strip()
    patterns = [re.escape(shown), re.escape(SCRIPT_NAME) + r".*" + re.escape(tail)] if tail else [re.escape(shown)]
    line = project.source_line(source, patterns) if source else None
    page = project.docs_relative(source) if source else project.display_page(html_path)
    return problem(
        CHECK,
        "`%s` does not run as shown: %s (built page line %d)" % (shown, why, html_line),
        page=page,
        line=line or html_line,
    )
