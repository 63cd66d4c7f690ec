"""The pieces every drawing is made of: a stick figure built from joint positions, and equipment.

Coordinates are SVG user units inside one panel (y grows downwards); angles are degrees in the
same frame, so 0 points right, 90 down and -90 up. The figure's proportions are fixed (about 100
units tall standing), so every exercise is drawn at the same scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

Pt = tuple[float, float]

# One palette for the library. Each colour that carries meaning has at least 3:1 contrast on
# white (WCAG 1.4.11); the ghost of the start position is a faint echo, not information.
INK = "#212529"  # the body, and the limb nearer to the viewer (or the one that works)
FAR = "#6c757d"  # the other limb
GHOST = "#ced4da"  # the start position, repeated faintly behind the end position
BAND = "#c2255c"  # resistance bands
ARROW = "#0a58ca"  # direction of movement
KIT = "#495057"  # outlines of benches, steps, posts; weights are filled with it
KIT_FILL = "#e9ecef"
DOWEL = "#8a5a00"
FLOOR = "#6c757d"
FRAME = "#dee2e6"

TORSO = 34.0
SHOULDER_AT = 30.0  # shoulders sit a little below the top of the torso line
HEAD_R = 7.5
LEG = (24.0, 23.0)
ARM = (17.0, 16.0)
FOOT = 7.0
PELVIS_HALF = 6.0
SHOULDERS_HALF = 10.0


def direction(angle: float) -> Pt:
    rad = math.radians(angle)
    return (math.cos(rad), math.sin(rad))


def along(p: Pt, angle: float, length: float) -> Pt:
    d = direction(angle)
    return (p[0] + d[0] * length, p[1] + d[1] * length)


def angle_of(p: Pt, q: Pt) -> float:
    return math.degrees(math.atan2(q[1] - p[1], q[0] - p[0]))


def distance(p: Pt, q: Pt) -> float:
    return math.hypot(q[0] - p[0], q[1] - p[1])


def lerp(p: Pt, q: Pt, t: float) -> Pt:
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


def bend_joint(root: Pt, target: Pt, lengths: tuple[float, float], toward: Pt) -> tuple[Pt, Pt]:
    """Knee or elbow for a limb reaching from root to target, bent on the side ``toward`` points.

    A target out of reach leaves the limb straight, pointing at it.
    """
    a, b = lengths
    reach = distance(root, target)
    heading = angle_of(root, target)
    if reach >= a + b - 0.01:
        mid = along(root, heading, a)
        return mid, along(mid, heading, b)
    reach = max(reach, abs(a - b) + 0.01)
    opening = math.degrees(math.acos((a * a + reach * reach - b * b) / (2 * a * reach)))
    candidates = [along(root, heading + s * opening, a) for s in (1, -1)]
    mid = max(
        candidates,
        key=lambda m: (m[0] - root[0]) * toward[0] + (m[1] - root[1]) * toward[1],
    )
    return mid, target


@dataclass
class Limb:
    """An arm or a leg: by two absolute angles, by its end (the middle joint solved), or by both."""

    kind: str  # "arm" or "leg"
    angles: tuple[float, float] | None = None
    mid: Pt | None = None
    end: Pt | None = None
    toward: Pt = (1.0, 0.0)
    foot: float | None = None  # the foot's angle; None draws no foot
    far: bool = False
    side: int = 0  # in a front view, -1 is the limb on the picture's left

    def points(self, root: Pt) -> list[Pt]:
        lengths = LEG if self.kind == "leg" else ARM
        if self.angles is not None:
            mid = along(root, self.angles[0], lengths[0])
            end = along(mid, self.angles[1], lengths[1])
        elif self.mid is not None and self.end is not None:
            mid, end = self.mid, self.end
        elif self.end is not None:
            mid, end = bend_joint(root, self.end, lengths, self.toward)
        else:
            raise ValueError("a limb needs angles or an end")
        return [root, mid, end]


@dataclass
class Body:
    """A person: the hip, the torso's direction (or the shoulder point), and four limbs."""

    hip: Pt
    torso: float = -90.0
    shoulder: Pt | None = None
    head: Pt | None = None
    front_view: bool = False
    pelvis_tilt: float = 0.0
    pelvis_half: float = PELVIS_HALF
    limbs: list[Limb] = field(default_factory=list)

    def leg(self, **kw) -> Body:
        self.limbs.append(Limb("leg", **kw))
        return self

    def arm(self, **kw) -> Body:
        self.limbs.append(Limb("arm", **kw))
        return self

    def joints(self) -> Joints:
        """Every joint, for drawing and for putting equipment on the body."""
        if self.shoulder is not None:
            torso = angle_of(self.hip, self.shoulder)
            shoulder = self.shoulder
        else:
            torso = self.torso
            shoulder = along(self.hip, torso, SHOULDER_AT)
        neck = along(shoulder, torso, TORSO - SHOULDER_AT)
        head = self.head or along(neck, torso, HEAD_R + 2)
        hips = {0: self.hip}
        shoulders = {0: shoulder}
        if self.front_view:
            for s in (-1, 1):
                hips[s] = along(self.hip, self.pelvis_tilt, s * self.pelvis_half)
                shoulders[s] = along(shoulder, torso + 90, s * SHOULDERS_HALF)
        limbs = []
        for limb in self.limbs:
            root = (hips if limb.kind == "leg" else shoulders)[limb.side if self.front_view else 0]
            pts = limb.points(root)
            if limb.kind == "leg" and limb.foot is not None:
                pts.append(along(pts[2], limb.foot, FOOT))
            limbs.append((limb, pts))
        return Joints(self.hip, neck, head, hips, shoulders, limbs)


@dataclass(frozen=True)
class Joints:
    hip: Pt
    neck: Pt
    head: Pt
    hips: dict[int, Pt]  # in a front view, -1 and 1 are the two hip joints
    shoulders: dict[int, Pt]
    limbs: list[tuple[Limb, list[Pt]]]

    def limb(self, index: int) -> list[Pt]:
        """The points of the index-th limb added to the body: root, middle, end[, toe]."""
        return self.limbs[index][1]


def fmt(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


class Panel:
    """One picture of the pair: collects SVG elements, shifted to the panel's place."""

    def __init__(self, left: float, width: float, height: float):
        self.left = left
        self.width = width
        self.height = height
        self.parts: list[str] = []

    def _pts(self, points: list[Pt]) -> str:
        return " ".join(f"{fmt(x + self.left)},{fmt(y)}" for x, y in points)

    def polyline(self, points: list[Pt], stroke: str, width: float, **extra: str) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
        tag = "line" if len(points) == 2 else "polyline"
        if tag == "line":
            (x1, y1), (x2, y2) = points
            x1, x2 = x1 + self.left, x2 + self.left
            geometry = f'x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}"'
        else:
            geometry = f'points="{self._pts(points)}"'
        cap = extra.get("stroke_linecap")
        rounding = "" if cap else ' stroke-linecap="round" stroke-linejoin="round"'
        self.parts.append(
            f'<{tag} {geometry} fill="none" stroke="{stroke}" stroke-width="{fmt(width)}"'
            f"{rounding}{attrs}/>"
        )

    def polygon(self, points: list[Pt], fill: str, stroke: str | None = None, width=1.5) -> None:
        outline = (
            f' stroke="{stroke}" stroke-width="{fmt(width)}" stroke-linejoin="round"'
            if stroke
            else ""
        )
        self.parts.append(f'<polygon points="{self._pts(points)}" fill="{fill}"{outline}/>')

    def rect(self, x: float, y: float, w: float, h: float, fill=KIT_FILL, stroke=KIT, rx=1.5):
        self.parts.append(
            f'<rect x="{fmt(x + self.left)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}"'
            f' rx="{fmt(rx)}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )

    def circle(self, c: Pt, r: float, fill: str, stroke: str | None = None, width=1.5) -> None:
        outline = f' stroke="{stroke}" stroke-width="{fmt(width)}"' if stroke else ""
        self.parts.append(
            f'<circle cx="{fmt(c[0] + self.left)}" cy="{fmt(c[1])}" r="{fmt(r)}"'
            f' fill="{fill}"{outline}/>'
        )

    def ellipse(self, c: Pt, rx: float, ry: float, fill: str, stroke: str, width=1.5) -> None:
        self.parts.append(
            f'<ellipse cx="{fmt(c[0] + self.left)}" cy="{fmt(c[1])}" rx="{fmt(rx)}"'
            f' ry="{fmt(ry)}" fill="{fill}" stroke="{stroke}" stroke-width="{fmt(width)}"/>'
        )

    # The person

    def body(self, body: Body, ghost: bool = False) -> Joints:
        j = body.joints()
        for limb, pts in j.limbs:
            if limb.far:
                self._limb(limb, pts, GHOST if ghost else FAR)
        ink = GHOST if ghost else INK
        self.polyline([j.hip, j.neck], ink, 7)
        if body.front_view:
            self.polyline([j.hips[-1], j.hips[1]], ink, 6)
            self.polyline([j.shoulders[-1], j.shoulders[1]], ink, 6)
        self.circle(j.head, HEAD_R, ink)
        for limb, pts in j.limbs:
            if not limb.far:
                self._limb(limb, pts, ink)
        return j

    def _limb(self, limb: Limb, pts: list[Pt], colour: str) -> None:
        self.polyline(pts[:3], colour, 5.5 if limb.kind == "leg" else 4.5)
        if len(pts) == 4:
            self.polyline(pts[2:], colour, 4.5)

    # The room and the equipment

    def floor(self, y: float, x0: float = 6, x1: float | None = None) -> None:
        self.polyline([(x0, y), (x1 if x1 is not None else self.width - 6, y)], FLOOR, 2)

    def box(self, x: float, y: float, w: float, h: float) -> None:
        """A bench, step or box, seen from the side."""
        self.rect(x, y, w, h)

    def post(self, x: float, top: float, floor: float) -> None:
        """Something sturdy to tie a band to or to hold for balance (a post or a chair back)."""
        self.rect(x - 2.5, top, 5, floor - top, fill=KIT_FILL, stroke=KIT, rx=2)

    def band(self, points: list[Pt]) -> None:
        self.polyline(points, BAND, 3)

    def band_ring(self, c: Pt, rx: float = 5, ry: float = 4) -> None:
        self.ellipse(c, rx, ry, "none", BAND, 3)

    def weight_on(self, p: Pt, q: Pt, t0: float, t1: float, width: float = 9) -> None:
        """A strap-on weight or a bar across a segment, as a short thick band of colour."""
        self.polyline([lerp(p, q, t0), lerp(p, q, t1)], KIT, width, stroke_linecap="butt")

    def dumbbell(self, c: Pt, angle: float = 0) -> None:
        a, b = along(c, angle, -6), along(c, angle, 6)
        self.polyline([a, b], KIT, 3)
        for end in (a, b):
            self.polyline(
                [along(end, angle + 90, -5), along(end, angle + 90, 5)],
                KIT,
                5,
                stroke_linecap="butt",
            )

    def kettlebell(self, handle: Pt) -> None:
        """A kettlebell hanging from its handle at ``handle``."""
        x, y = handle
        self.polyline([(x - 4, y + 6), (x - 4, y), (x + 4, y), (x + 4, y + 6)], KIT, 2.5)
        self.circle((x, y + 10), 6.5, KIT)

    def plate(self, c: Pt, r: float = 8) -> None:
        self.circle(c, r, KIT_FILL, KIT, 2.5)
        self.circle(c, 2, KIT)

    def dowel(self, p: Pt, q: Pt) -> None:
        self.polyline([p, q], DOWEL, 3.5)

    def arrow(self, points: list[Pt], colour: str = ARROW) -> None:
        """A movement arrow along ``points``, its head at the last one."""
        *_, before, tip = points
        heading = angle_of(before, tip)
        base = along(tip, heading, -7)
        self.polyline([*points[:-1], base], colour, 2.5)
        self.polygon([tip, along(base, heading + 90, 4.5), along(base, heading - 90, 4.5)], colour)

    def curved_arrow(self, start: Pt, control: Pt, end: Pt, colour: str = ARROW) -> None:
        """An arrow along a quadratic curve, sampled so that only polylines are needed."""
        steps = 12
        pts = []
        for i in range(steps + 1):
            t = i / steps
            pts.append(
                (
                    (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
                    (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1],
                )
            )
        self.arrow(pts, colour)

    def speed_lines(self, x: float, ys: list[float], length: float = 16) -> None:
        for i, y in enumerate(ys):
            offset = 4 * (i % 2)
            self.polyline([(x - offset, y), (x - offset - length, y)], FAR, 2.5)

    def speech(self, c: Pt, lines: int, tail_to: Pt) -> None:
        """A speech bubble: how much a runner can still say is how hard they run."""
        rx, ry = 16, 10
        self.polygon([(c[0] - 7, c[1] + 6), (c[0] - 1, c[1] + 8), tail_to], "#ffffff", KIT, 1.5)
        self.ellipse(c, rx, ry, "#ffffff", KIT, 1.5)
        for i in range(lines):
            y = c[1] - (lines - 1) * 2.5 + i * 5
            half = 9 if i < lines - 1 or lines == 1 else 6
            self.polyline([(c[0] - half, y), (c[0] + half, y)], KIT, 2)

    def stopwatch(self, c: Pt, r: float = 9) -> None:
        self.rect(c[0] - 2.5, c[1] - r - 5, 5, 4, fill=KIT, stroke=KIT, rx=1)
        self.circle(c, r, "#ffffff", KIT, 2)
        self.polyline([c, (c[0] + r * 0.55, c[1] - r * 0.55)], KIT, 2)

    def frame(self) -> None:
        self.parts.append(
            f'<rect x="{fmt(self.left + 1)}" y="1" width="{fmt(self.width - 2)}"'
            f' height="{fmt(self.height - 2)}" rx="6" fill="#ffffff" stroke="{FRAME}"'
            ' stroke-width="1.5"/>'
        )
