"""The command line: probe this machine (or read saved facts), evaluate, print.

Exit codes: 0 nothing failed (warnings allowed), 1 a requirement failed,
2 bad usage or unreadable input (or no usable standard output for the report).
A reader that stops reading (`check.py -v | head -1`, a closed pipe) ends the
run quietly with the code the report had.
"""

import argparse
import json
import os
import sys

from . import __version__
from .findings import EXIT_USAGE

PROG = "check.py"


class UsageError(Exception):
    """Bad usage or unreadable input: one line for the user, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("%s (see --help)" % message)


def build_parser(prog=PROG):
    parser = _Parser(
        prog=prog,
        description="Check this machine against Invoke's system requirements: GPU and VRAM, "
        "RAM, disk, temporary directory, Python, system libraries and drivers. "
        "It changes nothing: no network, no writes, no prompts.",
        epilog="Exit status: 0 when nothing failed (warnings allowed), 1 when a requirement "
        "failed, 2 on bad usage or unreadable input.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show every finding's detail and link, passed ones included"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print the whole report (facts, findings, models, summary) as JSON; "
        "save it to check again later with --facts",
    )
    output.add_argument("--markdown", action="store_true", help="print a Markdown block to paste into a bug report")
    parser.add_argument(
        "--facts",
        metavar="FILE",
        help="evaluate saved facts, or a whole --json report, instead of probing "
        "this machine ('-' reads standard input)",
    )
    parser.add_argument(
        "--nvidia-smi",
        metavar="FILE",
        dest="nvidia_smi",
        help="use a saved nvidia-smi output (its table, its --query-gpu CSV, "
        "nvidia-smi -q, or the error it printed) instead of running nvidia-smi; "
        "the rest of this machine is still probed ('-' reads standard input)",
    )
    parser.add_argument(
        "--rocm-smi",
        metavar="FILE",
        dest="rocm_smi",
        help="judge the machine a saved rocm-smi output describes, from that output alone: "
        "the concise table, --showproductname, --showmeminfo vram, --showdriverversion, "
        "plain, --csv or --json, several in one file ('-' reads standard input)",
    )
    parser.add_argument(
        "--system-profiler",
        metavar="FILE",
        dest="system_profiler",
        help="judge the Mac a saved system_profiler SPHardwareDataType and/or SPDisplaysDataType "
        "output describes (as printed, or copied from System Information), from that "
        "output alone ('-' reads standard input)",
    )
    parser.add_argument(
        "--only", metavar="IDS", help="run only these checks: comma-separated ids, as --list-checks shows them"
    )
    parser.add_argument("--list-checks", action="store_true", help="list the checks (id and title) and exit")
    parser.add_argument(
        "--release",
        metavar="VERSION",
        help="judge against this Invoke release's requirements (default: the site's "
        "default release); MAJOR.MINOR names the one release of that line",
    )
    parser.add_argument(
        "--list-releases",
        action="store_true",
        help="list the releases the checker knows (with --json, as JSON) and exit",
    )
    parser.add_argument(
        "--install-dir",
        metavar="PATH",
        help="where Invoke is or will be installed: the disk checks measure there "
        "(default: the app's root variable, or its default folder)",
    )
    parser.add_argument(
        "--version", action="version", version="%(prog)s " + __version__, help="print the checker's version and exit"
    )
    return parser


class _ReaderGone(Exception):
    """Standard output's reader went away (a broken pipe): stop quietly with `code`."""

    def __init__(self, code):
        Exception.__init__(self, code)
        self.code = code


def main(argv=None):
    """Run the command line; return the exit code."""
    try:
        return run(argv)
    except UsageError as exc:
        return say_error(str(exc))
    except _ReaderGone as exc:
        return exc.code
    except BrokenPipeError:  # --help, --list-checks: nobody is reading any more
        _silence_stdout()
        return 0
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a crash must still be one line, never a traceback
        return say_error("unexpected error: %s: %s (please report it)" % (type(exc).__name__, exc))


def say_error(message):
    """One line on stderr (when there is a stderr that takes it); the usage exit code."""
    try:
        if sys.stderr is not None:
            from .render.safe import visible  # a file name may hold escapes too

            sys.stderr.write("%s: error: %s\n" % (PROG, visible(" ".join(str(message).split()))))
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_USAGE


def _stdout_usable():
    """Whether there is a standard output to print on (`check.py >&-` leaves none)."""
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        return False
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return True  # an in-memory stream: nothing more to ask
    try:
        os.fstat(descriptor)
    except OSError:
        return False
    return True


def _silence_stdout():
    """After a broken pipe: point stdout at the null device, so the exit flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def run(argv):
    if not _stdout_usable():
        raise UsageError("standard output is closed: there is nowhere to print the report")
    args = build_parser().parse_args(argv)
    if "-" in (args.facts, args.nvidia_smi) and sys.stdin is None:
        raise UsageError("%s -: standard input is closed" % ("--facts" if args.facts == "-" else "--nvidia-smi"))
    if args.facts and args.nvidia_smi:
        raise UsageError("--nvidia-smi applies to a probe of this machine, not to saved --facts")
    if args.facts == "-" and args.nvidia_smi == "-":
        raise UsageError("only one input can be read from standard input")
    given = [
        option
        for option, value in (
            ("--facts", args.facts),
            ("--nvidia-smi", args.nvidia_smi),
            ("--rocm-smi", args.rocm_smi),
            ("--system-profiler", args.system_profiler),
        )
        if value
    ]
    if len(given) > 1 and ("--rocm-smi" in given or "--system-profiler" in given):
        raise UsageError("%s describe one machine each: give one of them" % " and ".join(given))

    from .evaluate import CHECKS, checked_rules, evaluate, sections_for

    if args.list_releases:
        return list_releases(args.json)
    rules, site_url = load_rules(args.release)
    checks = [rule["id"] for rule in checked_rules(rules)]
    if args.list_checks:
        width = max(len(rule_id) for rule_id in checks)
        for rule in checked_rules(rules):
            declaration = CHECKS.get(rule["id"])
            reads = "reads " + ", ".join(declaration.reads) if declaration else "no check in this checker"
            sys.stdout.write("%s  %s  (%s)\n" % (rule["id"].ljust(width), rule["title"], reads))
        return 0
    only = parse_only(args.only, checks)

    if args.facts:
        facts = saved_facts(args.facts)
    elif args.rocm_smi:
        facts = tool_output_facts(args.rocm_smi, "--rocm-smi")
    elif args.system_profiler:
        facts = tool_output_facts(args.system_profiler, "--system-profiler")
    else:
        nvidia_smi_text = read_nvidia_smi(args.nvidia_smi) if args.nvidia_smi else None
        facts = gather_facts(
            install_dir=args.install_dir,
            nvidia_smi_text=nvidia_smi_text,
            only_sections=sections_for(only) if only else None,
            rules=rules,
        )

    report = evaluate(facts, rules, site_url, only=only)
    code = report["summary"]["exit_code"]
    try:
        write_report(report, args)
    except BrokenPipeError:
        _silence_stdout()
        raise _ReaderGone(code)
    except (OSError, ValueError) as exc:  # a full disk, a closed descriptor: the report did not get out
        raise UsageError("cannot write the report: %s" % (getattr(exc, "strerror", None) or exc))
    return code


def load_rules(release=None):
    from .rules_source import UnknownRelease, load

    try:
        return load(release)
    except UnknownRelease as exc:
        raise UsageError("--release %s: %s" % (release, exc))


def list_releases(as_json):
    """--list-releases: each release's version, name, install, Python and torch; the default first."""
    from .rules_source import load, releases, rule_values

    rows = []
    for header in releases():
        rules = load(header["version"])[0]
        rows.append(dict((key, header.get(key)) for key in ("version", "name", "install", "default")))
        rows[-1].update(
            python=rule_values(rules, "python.version").get("supported") or [],
            torch=rule_values(rules, "gpu.torch").get("torch_version"),
        )
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max(len(row["version"]) for row in rows) + 10
    for row in rows:
        sys.stdout.write(
            "%s  %s: %s; Python %s; torch %s\n"
            % (
                (row["version"] + (" (default)" if row["default"] else "")).ljust(width),
                row["name"],
                (row["install"] or {}).get("name"),
                " or ".join(row["python"]) or "not stated",
                row["torch"] or "not stated",
            )
        )
    return 0


def gather_facts(**options):
    from .probes import gather_facts as probe

    return probe(**options)


def parse_only(text, known):
    if text is None:
        return None
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [rule_id for rule_id in wanted if rule_id not in known]
    if unknown or not wanted:
        raise UsageError(
            "--only: unknown check id %s (known: %s)"
            % (", ".join(repr(rule_id) for rule_id in unknown) or "''", ", ".join(known))
        )
    return wanted


def read_text(path, option):
    """The text of `path` ('-' is standard input): UTF-8, UTF-8 or UTF-16 with a BOM, bounded."""
    from .input_file import InputError, read_input

    try:
        return read_input(path)
    except InputError as exc:
        raise UsageError("%s %s: %s" % (option, path, exc))


def read_nvidia_smi(path):
    """A saved nvidia-smi output; text that is none of its outputs is bad input, not a broken driver."""
    from .parsers.recognize import expected, recognize

    text = read_text(path, "--nvidia-smi")
    if recognize(text, kinds=("nvidia-smi",)) is None:
        raise UsageError("--nvidia-smi %s: not an nvidia-smi output. %s." % (path, expected(kinds=("nvidia-smi",))))
    return text


def tool_output_facts(path, option):
    """Facts of the machine a saved rocm-smi or system_profiler output describes; other text is refused."""
    from .parsers.recognize import expected, recognize

    text = read_text(path, option)
    kind = option[2:]  # "--rocm-smi" -> "rocm-smi"
    if recognize(text, kinds=(kind,)) is None:
        raise UsageError(
            "%s %s: not a %s output. %s."
            % (option, path, kind.replace("-", "_") if kind == "system-profiler" else kind, expected(kinds=(kind,)))
        )
    if kind == "rocm-smi":
        from .probes.amd import facts_from_rocm_smi

        return facts_from_rocm_smi(text)
    from .probes.apple import facts_from_system_profiler

    return facts_from_system_profiler(text)


def saved_facts(path):
    from .saved import facts_from_saved

    text = read_text(path, "--facts")
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise UsageError("--facts %s: not JSON: %s" % (path, exc))
    try:
        return facts_from_saved(obj)
    except ValueError as exc:
        raise UsageError("--facts %s: %s" % (path, exc))


def write_report(report, args):
    stream = report_stream(sys.stdout, os.environ)
    if args.json:
        from .render.json_out import render_json

        stream.write(render_json(report))
    elif args.markdown:
        from .render.markdown import render_markdown

        stream.write(render_markdown(report))
    else:
        from .render.terminal import render_terminal

        render_terminal(report, stream, verbose=args.verbose, environ=os.environ)
    stream.flush()


def report_stream(stream, environ):
    """Where the report goes: a file or pipe gets UTF-8 on every OS, a terminal its own encoding.

    Windows Python writes redirected output in the ANSI code page (cp1252),
    which cannot hold a check mark or a user folder named in Chinese, and which
    --facts could not read back. A PYTHONIOENCODING the user set is kept.
    """
    isatty = getattr(stream, "isatty", None)
    try:
        interactive = bool(isatty and isatty())
    except (OSError, ValueError):
        interactive = False
    reconfigure = getattr(stream, "reconfigure", None)
    if interactive or environ.get("PYTHONIOENCODING") or reconfigure is None:
        return stream
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8"):
        return stream
    try:
        stream.flush()
        reconfigure(encoding="utf-8", errors="strict")
    except (OSError, ValueError, LookupError):
        pass
    return stream
