"""The report as stable JSON: sorted keys, so two runs on one machine diff cleanly."""

import json


def render_json(report):
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
