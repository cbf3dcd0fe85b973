"""The one way the project builds its site: `mkdocs build --strict`, never `-q`.

`-q` hides the warnings that --strict turns into failures, so a broken link
would build with exit 0. The tests, the docs CI (verify) and the benchmarks
all build through `build_site`.
"""

import os
import subprocess
import sys


def build_site(project_dir, site_dir, timeout=600):
    """`mkdocs build --strict` of `project_dir` into `site_dir`; the CompletedProcess."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=str(project_dir),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
