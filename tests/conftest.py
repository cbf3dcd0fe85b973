"""Fixtures shared by the whole suite."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rules import load_rules  # noqa: E402
from tools.site_build import build_site  # noqa: E402

SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures" / "real-outputs"


@pytest.fixture(scope="session")
def project_root():
    return ROOT


@pytest.fixture(scope="session")
def rules():
    """The rules file, loaded and validated as the build loads it."""
    return load_rules()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once per test session from this tree: the path of its folder."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site_dir)
    assert result.returncode == 0, "mkdocs build failed:\n%s\n%s" % (result.stdout, result.stderr)
    return site_dir


@pytest.fixture(scope="session")
def real_outputs():
    """shared/fixtures/real-outputs: real command outputs people published (skips where absent)."""
    if not (SHARED_FIXTURES / "MANIFEST.json").is_file():
        pytest.skip("shared/fixtures/real-outputs is not beside this checkout: the real-output tests need it")
    return SHARED_FIXTURES
