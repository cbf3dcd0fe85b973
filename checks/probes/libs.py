"""The libs section: whether the dynamic loader would find the shared libraries OpenCV loads (Linux).

The libraries are looked up, never loaded. Loading one (ctypes.CDLL) would
run its constructors inside the checker, and a library planted in the current
folder would run there too. Instead this probe does what the loader does to
find a library by its soname, reading files only:

1. each absolute folder of LD_LIBRARY_PATH, in order; empty and relative
   entries are skipped (the loader reads an empty entry, as an unset variable
   extended with `$LD_LIBRARY_PATH:...` leaves one, as the current folder,
   which says nothing about the machine);
2. the loader cache, /etc/ld.so.cache, parsed here (glibc's "glibc-ld.so.cache1.1"
   format, alone or after the old "ld.so-1.7.0" table); musl has none and
   reads /etc/ld-musl-<arch>.path instead;
3. the default folders (/lib and /usr/lib, their multiarch and lib64 forms).

A file found counts when it is an ELF object of the interpreter's own class
and machine (a 32-bit libGL.so.1 does not serve a 64-bit Python). This is
chosen over running `ldconfig -p` (another process, absent from PATH for
non-root users on some distributions) and over a child process that loads
the library (it still runs the library's code).

A library is False only when every place was read and it is in none; when a
place could not be read (the checker out of open files, an unreadable cache,
a cache format this code does not know), it is None, with the reason.
"""

import errno
import os
import struct
import sys

OLD_MAGIC = b"ld.so-1.7.0"
NEW_MAGIC = b"glibc-ld.so.cache"
NEW_VERSION = b"1.1"
CACHE = "/etc/ld.so.cache"
MAX_CACHE_BYTES = 8 * 1024 * 1024


def probe_libs(facts, context, sonames=None):
    if context.system != "Linux":
        return
    if sonames is None:
        sonames = [entry["soname"] for entry in context.rule_values("libs.opencv").get("libraries", [])]
    if not sonames:
        facts["unknown"]["libs"] = "no library names were given"
        return
    finder = LibraryFinder(context, sonames)
    for soname in sonames:
        found, why = finder.find(soname)
        facts["libs"][soname] = found
        if found is None:
            facts["unknown"]["libs." + soname] = why


class LibraryFinder(object):
    """Finds sonames the way the dynamic loader would, on the machine `context` probes."""

    def __init__(self, context, sonames=None):
        """sonames: the only ones find() will be asked (the cache is then read for those alone)."""
        self.context = context
        self.problems = []
        self.cache = self._read_cache(sonames)
        self.reference = _elf_identity(sys.executable) if sys.executable else None

    def find(self, soname):
        """(True | False | None, why None)."""
        problems = list(self.problems)
        for path in self._candidates(soname):
            usable, problem = self._usable(path)
            if usable:
                return True, None
            if problem:
                problems.append(problem)
        if problems:
            return None, "Can't tell whether %s is installed: %s." % (soname, "; ".join(problems[:3]))
        return False, None

    def _candidates(self, soname):
        if "/" in soname:
            return [soname]
        folders = [
            folder for folder in self.context.env.get("LD_LIBRARY_PATH", "").split(":") if folder.startswith("/")
        ]
        paths = [os.path.join(folder, soname) for folder in folders]
        paths.extend(self.cache.get(soname, ()))
        paths.extend(os.path.join(folder, soname) for folder in self._default_folders())
        unique = []
        for path in paths:
            if path not in unique:
                unique.append(path)
        return unique

    def _default_folders(self):
        folders = []
        multiarch = getattr(sys.implementation, "_multiarch", None)
        for base in ("/lib", "/usr/lib"):
            if multiarch:
                folders.append("%s/%s" % (base, multiarch))
            folders.extend([base + "64", base])
        for name in self.context.listdir("/etc"):
            if name.startswith("ld-musl-") and name.endswith(".path"):
                text = self.context.read("/etc/" + name) or ""
                folders.extend(part for part in text.replace("\n", ":").split(":") if part.startswith("/"))
        return folders

    def _read_cache(self, sonames):
        try:
            with open(self.context.path(CACHE), "rb") as handle:
                data = handle.read(MAX_CACHE_BYTES)
        except (OSError, IOError) as exc:
            if getattr(exc, "errno", None) not in (errno.ENOENT, errno.ENOTDIR):
                self.problems.append("%s could not be read (%s)" % (CACHE, _why(exc)))
            return {}
        entries = parse_ld_so_cache(data, names=sonames)
        if entries is None:
            self.problems.append("%s is not in a format this checker reads" % CACHE)
            return {}
        return entries

    def _usable(self, path):
        """(usable, problem): whether `path` is an ELF library this interpreter can load."""
        real = self.context.path(path)
        try:
            with open(real, "rb") as handle:
                header = handle.read(20)
        except (OSError, IOError) as exc:
            if getattr(exc, "errno", None) in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EISDIR):
                return False, None
            return False, "%s could not be read (%s)" % (path, _why(exc))
        identity = _identity(header)
        if identity is None:
            return False, None
        return (self.reference is None or identity == self.reference), None


def parse_ld_so_cache(data, names=None):
    """{soname: [path, ...]} from the bytes of /etc/ld.so.cache, or None when the format is not known.

    names: only the entries of these sonames. A cache holds hundreds of
    libraries and the probe asks for a few: an entry whose name string does not
    start where one of those names (and its closing NUL) is written is passed
    over without decoding its strings.
    """
    wanted = _name_offsets(data, names) if names is not None else None
    start = 0
    if data.startswith(OLD_MAGIC):
        if len(data) < 16:
            return None
        count = struct.unpack_from("<I", data, 12)[0]
        start = 16 + count * 12
        if start > len(data):
            return None
        position = data.find(NEW_MAGIC, start)  # the new table follows, aligned
        if position < 0:
            return _old_entries(data, count, start, wanted)
        start = position
    if not data.startswith(NEW_MAGIC + NEW_VERSION, start) or len(data) < start + 48:
        return None
    endian = "<"
    count, _ = struct.unpack_from(endian + "II", data, start + 20)
    if start + 48 + count * 24 > len(data):
        endian = ">"
        count, _ = struct.unpack_from(endian + "II", data, start + 20)
        if start + 48 + count * 24 > len(data):
            return None
    entries = {}
    for index in range(count):
        flags, key, value = struct.unpack_from(endian + "iII", data, start + 48 + index * 24)
        if wanted is not None and start + key not in wanted:
            continue
        name, path = _string(data, start + key), _string(data, start + value)
        if name and path:
            entries.setdefault(name, []).append(path)
    return entries


def _old_entries(data, count, strings, wanted=None):
    entries = {}
    for index in range(count):
        flags, key, value = struct.unpack_from("<iII", data, 16 + index * 12)
        if wanted is not None and strings + key not in wanted:
            continue
        name, path = _string(data, strings + key), _string(data, strings + value)
        if name and path:
            entries.setdefault(name, []).append(path)
    return entries


def _name_offsets(data, names):
    """The offsets in `data` where a string equal to one of `names` starts (it runs to its NUL)."""
    offsets = set()
    for name in names:
        try:
            needle = name.encode("utf-8") + b"\0"
        except UnicodeEncodeError:  # no cache entry has that name
            continue
        position = data.find(needle)
        while position >= 0:
            offsets.add(position)
            position = data.find(needle, position + 1)
    return offsets


def _string(data, offset):
    if offset >= len(data):
        return None
    end = data.find(b"\0", offset)
    if end < 0:
        return None
    try:
        return data[offset:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _identity(header):
    """(class, byte order, machine) of an ELF header, or None."""
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    order = "<" if header[5:6] == b"\x01" else ">"
    return header[4:5], header[5:6], struct.unpack_from(order + "H", header, 18)[0]


def _elf_identity(path):
    try:
        with open(path, "rb") as handle:
            return _identity(handle.read(20))
    except (OSError, IOError):
        return None


def _why(exc):
    return getattr(exc, "strerror", None) or str(exc)
