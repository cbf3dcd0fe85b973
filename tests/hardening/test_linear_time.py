"""Every parser in checks/parsers reads 1 MB of each adversarial shape in linear time.

A pattern that backtracks (ReDoS) takes 16 times as long for 4 times the
input; a linear one about 4 times. The assertion is on that ratio, the best
of a few runs each, so a slow or busy machine does not change the verdict.
"""

import time

import pytest

from .adversarial import SHAPES, STRUCTURED, text_parsers
from .conftest import count

SMALL, LARGE = 256 * 1000, 1000 * 1000
RATIO_LIMIT = 10  # linear: ~4 (up to 8 on a busy machine); quadratic: ~16
# Steps faster than this are not compared (caches alone move such times by 10x);
# a quadratic parser passes it early and then takes 16 times as long per step.
NOISE_SECONDS = 0.1


PARSERS = text_parsers()


def test_the_parsers_are_found():
    names = [name for name, _ in PARSERS]
    assert "nvidia_smi.parse_nvidia_smi" in names and "recognize.recognize" in names and len(names) >= 12


def best_time(function, text, runs=2):
    """The best of `runs` timings (one when the first is long enough to be stable)."""
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        try:
            function(text)
        except Exception:  # a parser's own refusal is fine here: this test is about time
            pass
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        if best > 0.5:
            break
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(
    "name, function",
    [item for item in PARSERS if item[0] not in STRUCTURED],
    ids=[name for name, _ in PARSERS if name not in STRUCTURED],
)
def test_a_megabyte_of_an_adversarial_shape_takes_linear_time(name, function, shape):
    """Sizes grow 4x up to 1 MB; each step may take less than RATIO_LIMIT times the one before.

    Starting small makes a quadratic parser fail in seconds instead of running for an hour.
    """
    count("linear-time shapes (1 MB)")
    previous = None
    for size in (4000, 16000, 64000, SMALL, LARGE):
        elapsed = best_time(function, SHAPES[shape](size))
        if previous is not None and previous[1] >= NOISE_SECONDS and elapsed / previous[1] >= RATIO_LIMIT:
            # Measure both again before judging: another process may have taken the CPU.
            previous = (previous[0], best_time(function, SHAPES[shape](previous[0]), runs=3))
            elapsed = min(elapsed, best_time(function, SHAPES[shape](size), runs=3))
            assert elapsed / previous[1] < RATIO_LIMIT, "%s on %s: %.3fs for %d characters, %.3fs for %d" % (
                name,
                shape,
                previous[1],
                previous[0],
                elapsed,
                size,
            )
        previous = (size, elapsed)
