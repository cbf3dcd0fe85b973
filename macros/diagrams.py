"""```mermaid flowcharts drawn at build time, as inline SVG: no diagram library reaches the reader.

The site's diagrams are small flowcharts. This renders the part of Mermaid's
flowchart syntax they use (`flowchart LR` or `TD`, nodes `id["label"]` or
`id[label]`, `<br/>` in labels, edges `a --> b`, `%%` comments) into SVG
whose colours come from the theme's variables, so both schemes work. Anything
else in a block stops the build with the line it cannot read, rather than
drawing a wrong diagram.

Layout: a node's column is the longest path to it from a node without inputs;
nodes in a column keep their order of appearance, then two sweeps order them
by the mean position of their neighbours (fewer crossings); edges are curves
from the right side of one box to the left side of the next (top to bottom
for `TD`).
"""

import html
import re

from mkdocs.exceptions import PluginError

FONT_PX = 13
LINE_PX = 17
PAD_X, PAD_Y = 12, 8
GAP_RANK, GAP_NODE = 56, 18
MARGIN = 4

HEADER = re.compile(r"^(?:flowchart|graph)\s+(LR|TD|TB)\s*$")
NODE = r'([A-Za-z_][\w-]*)(?:\[(?:"([^"]*)"|([^\]"]*))\])?'
EDGE = re.compile(r"^%s\s*-->\s*%s\s*;?$" % (NODE, NODE))
LONE = re.compile(r"^%s\s*;?$" % NODE)
BREAK = re.compile(r"<br\s*/?>", re.I)


def text_width(text):
    """An estimate of a line's width in px in the theme's sans-serif font at FONT_PX."""
    width = 0.0
    for char in text:
        if char in "il.,:;'|!()[]/\\ ":
            width += 0.32
        elif char in "mwMW":
            width += 0.86
        elif char.isupper() or char in "_":
            width += 0.66
        else:
            width += 0.55
    return width * FONT_PX


def parse(source):
    """(direction, {id: [label lines]} in order of appearance, [(from, to)])."""
    lines = [line.strip() for line in source.splitlines()]
    lines = [line for line in lines if line and not line.startswith("%%")]
    if not lines or not HEADER.match(lines[0]):
        raise PluginError(
            "diagram: the first line must be `flowchart LR` or `flowchart TD`, not %r" % (lines[0] if lines else "")
        )
    direction = HEADER.match(lines[0]).group(1)
    nodes, edges = {}, []

    def node(name, quoted, plain):
        label = quoted if quoted is not None else plain
        if label is not None or name not in nodes:
            nodes[name] = [html.unescape(part.strip()) for part in BREAK.split(label if label else name)]
        return name

    for line in lines[1:]:
        edge = EDGE.match(line)
        lone = LONE.match(line)
        if edge:
            edges.append((node(*edge.group(1, 2, 3)), node(*edge.group(4, 5, 6))))
        elif lone:
            node(*lone.group(1, 2, 3))
        else:
            raise PluginError("diagram: cannot read %r (the build draws `a[\"label\"] --> b` flowcharts only)" % line)
    return ("LR" if direction == "LR" else "TD"), nodes, edges


def ranks(nodes, edges):
    """{node: column}: the longest path to each node from a node without inputs."""
    rank = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for source, target in edges:
            if rank[target] < rank[source] + 1:
                rank[target] = rank[source] + 1
                changed = True
        if not changed:
            return rank
    raise PluginError("diagram: the flowchart has a cycle; it cannot be laid out in columns")


def order_columns(nodes, edges, rank):
    order = list(nodes)
    columns = [[name for name in order if rank[name] == index] for index in range(max(rank.values()) + 1)]
    for sweep in range(4):
        forward = sweep % 2 == 0
        sequence = range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)
        for index in sequence:
            neighbour = columns[index - 1] if forward else columns[index + 1]
            position = {name: place for place, name in enumerate(neighbour)}
            links = [(t, s) for s, t in edges] if forward else edges

            def mean(name, current=columns[index], position=position, links=links):
                seen = [position[other] for this, other in links if this == name and other in position]
                return sum(seen) / len(seen) if seen else current.index(name)

            columns[index] = sorted(columns[index], key=mean)
    return columns


def render(source):
    """The SVG (in a scrollable figure) for one ```mermaid block."""
    direction, nodes, edges = parse(source)
    rank = ranks(nodes, edges)
    columns = order_columns(nodes, edges, rank)
    size = {
        name: (max(text_width(line) for line in lines) + 2 * PAD_X, len(lines) * LINE_PX + 2 * PAD_Y)
        for name, lines in nodes.items()
    }
    across = 0 if direction == "LR" else 1  # the axis the columns advance along
    # Extent of each column along the flow, and of each column across it.
    depth = [max(size[name][across] for name in column) for column in columns]
    breadth = [sum(size[name][1 - across] for name in column) + GAP_NODE * (len(column) - 1) for column in columns]
    widest = max(breadth)
    box = {}
    along = MARGIN
    for index, column in enumerate(columns):
        side = MARGIN + (widest - breadth[index]) / 2
        for name in column:
            w, h = size[name]
            if direction == "LR":
                box[name] = (along + (depth[index] - w) / 2, side, w, h)
                side += h + GAP_NODE
            else:
                box[name] = (side, along + (depth[index] - h) / 2, w, h)
                side += w + GAP_NODE
        along += depth[index] + GAP_RANK
    total_along = along - GAP_RANK + MARGIN
    width, height = (total_along, widest + 2 * MARGIN) if direction == "LR" else (widest + 2 * MARGIN, total_along)

    parts = []
    for source_name, target_name in edges:
        x1, y1, w1, h1 = box[source_name]
        x2, y2, w2, h2 = box[target_name]
        if direction == "LR":
            ax, ay, bx, by = x1 + w1, y1 + h1 / 2, x2 - 2, y2 + h2 / 2
            bend = max((bx - ax) / 2, 20)
            path = "M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f" % (ax, ay, ax + bend, ay, bx - bend, by, bx, by)
        else:
            ax, ay, bx, by = x1 + w1 / 2, y1 + h1, x2 + w2 / 2, y2 - 2
            bend = max((by - ay) / 2, 20)
            path = "M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f" % (ax, ay, ax, ay + bend, bx, by - bend, bx, by)
        parts.append('<path class="diagram-edge" d="%s" marker-end="url(#diagram-arrow)"/>' % path)
    for name, lines in nodes.items():
        x, y, w, h = box[name]
        parts.append('<rect class="diagram-node" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4"/>' % (x, y, w, h))
        first = y + PAD_Y + LINE_PX / 2 + FONT_PX * 0.35
        for number, line in enumerate(lines):
            parts.append(
                '<text class="diagram-label" x="%.1f" y="%.1f">%s</text>'
                % (x + w / 2, first + number * LINE_PX, html.escape(line))
            )

    label = "; ".join("%s to %s" % (" ".join(nodes[s]), " ".join(nodes[t])) for s, t in edges)
    return (
        '<figure class="diagram" tabindex="0" role="group" aria-label="Diagram, scrolls sideways">'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" '
        'role="img" aria-label="Flowchart: %s">'
        '<defs><marker id="diagram-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path class="diagram-arrow" d="M0 0 L10 5 L0 10 z"/>'
        '</marker></defs>%s</svg></figure>' % (width, height, width, height, html.escape(label), "".join(parts))
    )


def fence_format(source, language, css_class, options, md, **kwargs):
    """pymdownx.superfences custom fence: ```mermaid -> inline SVG."""
    return render(source)
