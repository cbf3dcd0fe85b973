"""The rules: `requirements.yaml` (the one source of truth), its schema, and their loader.

The bottom layer of the project: it imports nothing of the project's, and the
site build (macros/), the script build, the docs CI (tools/) and the tests
import it. The checker (checks/) carries the rules as data in the built
check.py and imports this package only when it runs from a checkout.
"""

from .loader import (  # noqa: F401
    MKDOCS_YML,
    PROJECT_ROOT,
    RULES_PATH,
    SCHEMA_PATH,
    RulesError,
    build_stopped_message,
    join_words,
    load_releases,
    load_rules,
    load_schema,
    size_units,
)
