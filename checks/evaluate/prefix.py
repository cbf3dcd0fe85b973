"""Can some completion of a cut-off text contain a match of a pattern that starts in the visible part?

nvidia-smi cuts long names ("NVIDIA RTX PRO ..."): the problematic-GPU rule
can still be decided when none of its patterns could match however the name
goes on. This walks the pattern as the re module parsed it, over the visible
text, and answers True as soon as the text runs out with the pattern still
alive (the rest could follow) or the pattern is matched. It is conservative:
what it cannot follow (a lookaround, a backreference) counts as "could match".
"""

import re

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.8-3.10
    import sre_parse as _sre_parse


def _name(op):
    return getattr(op, "name", None) or str(op)


def could_match(pattern, visible, flags=re.IGNORECASE):
    """True when some text starting with `visible` has a match of `pattern` that starts inside `visible`."""
    try:
        parsed = list(_sre_parse.parse(pattern, flags))
    except Exception:  # an odd pattern: assume it could match
        return True
    fold = bool(flags & re.IGNORECASE)
    text = visible.lower() if fold else visible
    return any(_walk(parsed, text, start, fold, lambda end: True) for start in range(len(text)))


def _char_in(char, items, fold):
    negate = False
    code = ord(char)
    hit = False
    for op, av in items:
        name = _name(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit = hit or _same(code, av, fold)
        elif name == "RANGE":
            low, high = av
            hit = hit or low <= code <= high or (fold and (low <= ord(char.upper()) <= high))
        elif name == "CATEGORY":
            category = _name(av)
            if "DIGIT" in category:
                found = char.isdigit()
            elif "SPACE" in category:
                found = char.isspace()
            elif "WORD" in category:
                found = char.isalnum() or char == "_"
            else:
                found = True
            hit = hit or (found != category.startswith("CATEGORY_NOT"))
        else:
            hit = True
    return hit != negate


def _same(code, wanted, fold):
    if code == wanted:
        return True
    return fold and chr(wanted).lower() == chr(code)


def _walk(seq, text, pos, fold, cont, depth=0):
    """Can `seq` match from text[pos] on (the text may end early), then `cont`?"""
    if depth > 200:
        return True
    if not seq:
        return cont(pos)
    if pos >= len(text):
        return True  # the cut: whatever is left could follow
    op, av = seq[0]
    rest = seq[1:]
    name = _name(op)
    char = text[pos]
    if name == "LITERAL":
        return _same(ord(char), av, fold) and _walk(rest, text, pos + 1, fold, cont, depth + 1)
    if name == "NOT_LITERAL":
        return not _same(ord(char), av, fold) and _walk(rest, text, pos + 1, fold, cont, depth + 1)
    if name == "ANY":
        return char != "\n" and _walk(rest, text, pos + 1, fold, cont, depth + 1)
    if name == "IN":
        return _char_in(char, av, fold) and _walk(rest, text, pos + 1, fold, cont, depth + 1)
    if name == "AT":
        return _walk(rest, text, pos, fold, cont, depth + 1)
    if name == "SUBPATTERN":
        return _walk(list(av[-1]) + rest, text, pos, fold, cont, depth + 1)
    if name == "BRANCH":
        return any(_walk(list(alternative) + rest, text, pos, fold, cont, depth + 1) for alternative in av[1])
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, sub = av
        sub = list(sub)

        def repeat(count, at):
            if count >= low and _walk(rest, text, at, fold, cont, depth + 1):
                return True
            if count >= high or at >= len(text):
                return count < low or at >= len(text)
            return _walk(sub, text, at, fold, lambda end: end != at and repeat(count + 1, end), depth + 1)

        return repeat(0, pos)
    return True  # lookarounds, backreferences: don't know, so it could
