"""Fixtures for the site's tests: a throw-away copy of the project to plant changes in."""

import os
import shutil

import pytest

PROJECT_PARTS = ["rules", "docs", "macros", "checks", "mkdocs.yml"]


class ProjectCopy:
    """The parts of the project a site build reads, copied under `root`."""

    def __init__(self, source_root, root):
        self.root = root
        for part in PROJECT_PARTS:
            source = source_root / part
            if source.is_dir():
                shutil.copytree(str(source), str(root / part), ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(str(source), str(root / part))
        node_modules = source_root / "node_modules"
        if node_modules.is_dir():
            os.symlink(str(node_modules), str(root / "node_modules"))

    @property
    def rules_path(self):
        return self.root / "rules" / "requirements.yaml"

    def read(self, relative):
        return (self.root / relative).read_text(encoding="utf-8")

    def write(self, relative, text):
        (self.root / relative).write_text(text, encoding="utf-8")

    def replace(self, relative, old, new, count=1):
        """Replace `old` in a file, insisting that it is there (a test must not plant nothing)."""
        text = self.read(relative)
        assert text.count(old) >= count, "%r not found in %s" % (old, relative)
        self.write(relative, text.replace(old, new, count))


@pytest.fixture
def project_copy(project_root, tmp_path):
    return ProjectCopy(project_root, tmp_path / "project")
