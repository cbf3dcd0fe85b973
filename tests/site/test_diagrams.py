"""```mermaid flowcharts are drawn at build time: every node and edge, and nothing guessed."""

import re

import pytest
from mkdocs.exceptions import PluginError

from macros.diagrams import parse, ranks, render

SOURCE = """flowchart LR
    %% a comment
    a["rules<br/>file"] --> b[loader]
    b --> c["pages"]
    d["checks"] --> c
"""


def test_nodes_labels_and_edges_are_read():
    direction, nodes, edges = parse(SOURCE)
    assert direction == "LR"
    assert nodes == {"a": ["rules", "file"], "b": ["loader"], "c": ["pages"], "d": ["checks"]}
    assert edges == [("a", "b"), ("b", "c"), ("d", "c")]
    assert ranks(nodes, edges) == {"a": 0, "b": 1, "c": 2, "d": 0}


def test_the_svg_has_a_box_and_label_per_node_and_a_curve_per_edge():
    svg = render(SOURCE)
    assert svg.count('class="diagram-node"') == 4
    assert svg.count('class="diagram-edge"') == 3
    assert re.findall(r'class="diagram-label"[^>]*>([^<]*)<', svg) == ["rules", "file", "loader", "pages", "checks"]
    assert 'aria-label="Flowchart: rules file to loader; loader to pages; checks to pages"' in svg
    # Boxes of one column share a centre; the next column is to the right.
    centres = [
        float(x) + float(w) / 2
        for x, w in re.findall(r'<rect class="diagram-node" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    ]
    assert abs(centres[0] - centres[3]) < 0.5 and centres[0] < centres[1] < centres[2]


def test_top_down_flows_downwards():
    svg = render(SOURCE.replace("flowchart LR", "flowchart TD"))
    ys = [float(y) for y in re.findall(r'<rect class="diagram-node" x="[\d.]+" y="([\d.]+)"', svg)]
    assert ys[0] < ys[1] < ys[2]


@pytest.mark.parametrize(
    "bad",
    [
        "sequenceDiagram\n  a->>b: hi",
        "flowchart LR\n  a -.-> b",
        "flowchart LR\n  a --> b\n  b --> a",
    ],
)
def test_what_it_cannot_draw_stops_the_build(bad):
    with pytest.raises(PluginError):
        render(bad)
