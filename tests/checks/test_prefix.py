"""could_match: can a name cut short still match a pattern, with the match starting in the visible part?"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.evaluate.prefix import could_match

PATTERNS = [
    r"GTX\s*10[5-8]",
    r"GTX\s*165",
    r"GTX\s*166",
    r"\bMX\s*[12][1-5]0\b|\bTesla P(4|40)\b|\bQuadro P\d{3,4}\b|TITAN Xp?\b",
]


@pytest.mark.parametrize(
    "visible, expected",
    [
        ("NVIDIA RTX PRO ", False),
        ("NVIDIA GeForce RTX 2080 ", False),
        ("Tesla V100-PCIE", False),
        ("GeForce RTX 207", False),
        ("GeForce GTX 17", False),
        ("GeForce GTX 1", True),
        ("NVIDIA GeForce GTX ", True),
        ("NVIDIA GeForce G", True),
        ("Tesla ", True),
        ("Quadro P4", True),
        ("NVIDIA TITAN", True),
        ("GeForce MX", True),
        ("GeForce GTX 105", True),
    ],
)
def test_cut_names(visible, expected):
    assert any(could_match(pattern, visible) for pattern in PATTERNS) is expected


NAME_CHARS = st.sampled_from(list("GTXMPQRSadeilnoqrsuxV0145678 -."))


@settings(max_examples=300, deadline=None)
@given(
    visible=st.text(NAME_CHARS, max_size=14), rest=st.text(NAME_CHARS, max_size=10), pattern=st.sampled_from(PATTERNS)
)
def test_never_says_no_when_some_completion_matches_from_the_visible_part(visible, rest, pattern):
    """Sound: when a completion has a match starting inside the visible part, the answer is True."""
    match_inside = any(
        found.start() < len(visible)
        for found in re.finditer("(?=(?:%s))" % pattern, visible + rest, re.IGNORECASE)
        if re.match(pattern, (visible + rest)[found.start() :], re.IGNORECASE)
    )
    if match_inside:
        assert could_match(pattern, visible)
