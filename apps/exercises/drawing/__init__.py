"""Line drawings of the library's exercises: the start position, then the end position.

Each drawing is two panels side by side, the start on the left and the end on the right with a
chevron between them; the end panel repeats the start position faintly behind the end position,
and a blue arrow shows the direction of movement. Bodies are stick figures of one size and one
palette (figure.py); poses are written joint by joint in poses.py.

The SVG is deliberately plain (only svg, title, desc, g, line, polyline, polygon, rect, circle,
ellipse, presentation attributes, no CSS or text), because the PDF handout embeds it with fpdf2,
whose SVG support is limited. tests/exercises/test_illustrations.py holds the files to that.

Regenerate every file after changing a pose::

    .venv/bin/python -m apps.exercises.drawing

The drawings are the project's own work, licensed CC BY 4.0 (static/exercises/LICENSE).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .figure import FAR, Panel, fmt
from .poses import DRAWINGS, Drawing

WIDTH = 160  # one panel
HEIGHT = 140
GAP = 24
TOTAL_WIDTH = 2 * WIDTH + GAP
OUT = Path(__file__).resolve().parents[3] / "static" / "exercises"


def render(drawing: Drawing, name: str) -> str:
    """The SVG document for one exercise."""
    start, end = Panel(0, WIDTH, HEIGHT), Panel(WIDTH + GAP, WIDTH, HEIGHT)
    start.frame()
    end.frame()
    drawing.draw(start, end)
    mid = WIDTH + GAP / 2
    if drawing.alternatives:
        # Two variations of one exercise, not a movement from one to the other.
        between = (
            f'<line x1="{fmt(mid)}" y1="20" x2="{fmt(mid)}" y2="{HEIGHT - 20}" stroke="{FAR}"'
            ' stroke-width="2" stroke-dasharray="4 4"/>'
        )
    else:
        between = (
            f'<polyline points="{fmt(mid - 5)},{HEIGHT / 2 - 10} {fmt(mid + 5)},{HEIGHT / 2}'
            f' {fmt(mid - 5)},{HEIGHT / 2 + 10}" fill="none" stroke="{FAR}" stroke-width="3"'
            ' stroke-linecap="round" stroke-linejoin="round"/>'
        )
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{TOTAL_WIDTH}" height="{HEIGHT}"'
            f' viewBox="0 0 {TOTAL_WIDTH} {HEIGHT}" role="img">',
            f"<title>{escape(name)}</title>",
            f"<desc>{escape(drawing.description)}</desc>",
            '<g id="start">',
            *start.parts,
            "</g>",
            between,
            '<g id="end">',
            *end.parts,
            "</g>",
            "</svg>",
            "",
        ]
    )


def library_names() -> dict[str, str]:
    """Slug -> name of every library exercise, read from the migration that loads them."""
    from importlib import import_module

    library = import_module("apps.exercises.migrations.0002_load_library").LIBRARY
    return {ex["slug"]: ex["name"] for prog in library for ex in prog["exercises"]}


def write_all(out: Path = OUT) -> list[Path]:
    names = library_names()
    missing = set(names) - set(DRAWINGS)
    if missing:
        raise SystemExit(f"No drawing for: {', '.join(sorted(missing))}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, name in names.items():
        path = out / f"{slug}.svg"
        path.write_text(render(DRAWINGS[slug], name), encoding="utf-8")
        written.append(path)
    return written
