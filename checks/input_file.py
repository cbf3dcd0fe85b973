"""Read one input file the user names (--facts, --nvidia-smi): bounded, regular files only.

Windows PowerShell 5.1's `>` writes UTF-16 with a byte order mark, Notepad
may add a UTF-8 one, and everything else writes plain UTF-8: all read alike.
Only a regular file or standard input ('-') is read, and never more than
MAX_INPUT_BYTES of it, so a FIFO, a device such as /dev/zero or a huge file
is a clear refusal, not a hang.
"""

import os
import stat
import sys

MAX_INPUT_BYTES = 8 * 1024 * 1024

BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class InputError(Exception):
    """The input cannot be read: the message says why, in a few words."""


def read_input(path, limit=MAX_INPUT_BYTES, stdin=None):
    """The text of `path` ('-': standard input), or InputError."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        stream = getattr(stream, "buffer", stream)
        try:
            data = stream.read(limit + 1)
        except (OSError, IOError, ValueError) as exc:
            raise InputError("cannot read: %s" % (getattr(exc, "strerror", None) or exc)) from None
    else:
        data = _read_regular_file(path, limit)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise InputError("larger than %d MB: not a saved report or tool output" % (limit // (1024 * 1024)))
    return decode(data)


def _read_regular_file(path, limit):
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise InputError("cannot read: %s" % (getattr(exc, "strerror", None) or exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("cannot read: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise InputError(
                "cannot read: not a regular file (a pipe or device is not read; save the "
                "output to a file, or pass it on standard input with '-')"
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError("cannot read: %s" % (exc.strerror or exc)) from None
    finally:
        os.close(fd)


def decode(data):
    """Bytes of a saved file as text: a BOM says the encoding, else UTF-8 (undecodable bytes replaced)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    return data.decode("utf-8", "replace")
