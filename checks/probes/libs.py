"""The libs section: whether the shared libraries OpenCV loads can be loaded (Linux)."""
import ctypes


def probe_libs(facts, context, sonames=None):
    if context.system != "Linux":
        return
    if sonames is None:
        sonames = [entry["soname"] for entry in context.rule_values("libs.opencv").get("libraries", [])]
    for soname in sonames:
        facts["libs"][soname] = can_load(soname)
    if not sonames:
        facts["unknown"]["libs"] = "no library names were given"


def can_load(soname):
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True
