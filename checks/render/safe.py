"""What every text renderer applies to text it did not write itself.

Facts are cleaned where they come in (checks/facts.py clean_facts); these
functions escape again on the way out, so a report built some other way (a
test, a future probe) still cannot drive a terminal or a Markdown page.
"""

import os
import re
import unicodedata

_PLAIN = re.compile(r"[^\t\n\x20-\x7e]")
_UNSAFE = ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def visible(text):
    """`text` with every control, bidi or zero-width character written as an escape (\\x1b, \\u202e)."""
    text = "" if text is None else str(text)
    if not _PLAIN.search(text):
        return text
    out = []
    for char in text:
        if char in "\t\n" or unicodedata.category(char) not in _UNSAFE:
            out.append(char)
        elif ord(char) < 0x100:
            out.append("\\x%02x" % ord(char))
        elif ord(char) < 0x10000:
            out.append("\\u%04x" % ord(char))
        else:
            out.append("\\U%08x" % ord(char))
    return "".join(out)


# Home folders in paths: /home/NAME, /var/home/NAME, /Users/NAME, C:\Users\NAME.
# A user name may hold spaces ("Dave Lee") when a folder follows it; at the end of a path it ends at a space.
_NAME = r"(?:[^\\/\n|<>\"'`]+(?=[\\/])|[^\\/\s|<>\"'`]+)"
_POSIX_HOME = re.compile(r"(?<![\w.~/-])(?:/var)?/(?:home|Users)/" + _NAME)
_WINDOWS_HOME = re.compile(r"(?i)(?<![\w])[a-z]:[\\/](?:Users|Documents and Settings)[\\/]" + _NAME)


def current_home(environ=None):
    """This machine's home folder (HOME, else USERPROFILE), or None."""
    environ = os.environ if environ is None else environ
    for name in ("HOME", "USERPROFILE"):
        value = (environ.get(name) or "").rstrip("/\\")
        if len(value) > 1:
            return value
    return None


def without_home(text, home=None):
    """`text` with home folders shown as ~ (or %USERPROFILE% for a Windows path): no user name."""
    text = "" if text is None else str(text)
    if home and len(home) > 1:
        windows = "\\" in home or re.match(r"(?i)^[a-z]:", home) is not None
        pattern = re.compile(r"(?<![\w])%s(?=$|[\\/\s|,;:)\]'\"])" % re.escape(home), re.I if windows else 0)
        text = pattern.sub("%USERPROFILE%" if windows else "~", text)
    text = _WINDOWS_HOME.sub("%USERPROFILE%", text)
    return _POSIX_HOME.sub("~", text)
