"""The library's exercises, drawn pose by pose: one function per exercise, start then end panel.

Side views face right. "Front view" figures face the viewer, so their left limb is on the
picture's right. Lying exercises done on one side (side-lying lifts, side and Copenhagen planks)
are seen from the front, head on the left, the way clinicians usually draw them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .figure import (
    KIT,
    LEG,
    SHOULDER_AT,
    Body,
    Panel,
    Pt,
    along,
    angle_of,
)

F = 128.0  # the floor, in every panel
STAND = F - 2 - sum(LEG)  # hip height of a person standing straight


@dataclass(frozen=True)
class Drawing:
    draw: Callable[[Panel, Panel], None]
    description: str
    alternatives: bool = False  # two variations side by side rather than a start and an end


DRAWINGS: dict[str, Drawing] = {}


def drawing(slug: str, description: str, alternatives: bool = False):
    def register(fn: Callable[[Panel, Panel], None]):
        DRAWINGS[slug] = Drawing(fn, description, alternatives)
        return fn

    return register


def straight_from(shoulder: Pt, target: Pt) -> Pt:
    """The hip on a straight line from the shoulder to a knee or ankle."""
    return along(shoulder, angle_of(shoulder, target), SHOULDER_AT)


def bench(p: Panel, x: float, width: float, top: float) -> None:
    """A bench or chair seen from its long side: a top and two legs, open underneath."""
    p.rect(x + 3, top + 4, 4, F - top - 4)
    p.rect(x + width - 7, top + 4, 4, F - top - 4)
    p.rect(x, top, width, 5)


def chair(p: Panel, x: float, seat: float, facing: int = 1) -> None:
    """A chair seen from the side, its back on the far side from ``facing``."""
    back = x if facing > 0 else x + 24
    p.polyline([(back, seat - 30), (back, F)], KIT, 3)
    p.polyline([(x, seat), (x + 24, seat)], KIT, 3.5)
    p.polyline([(x + 24 if facing > 0 else x, seat), (x + 24 if facing > 0 else x, F)], KIT, 3)


# Hip adductors


def side_lying(lift: float) -> Body:
    b = Body(hip=(96, F - 9), torso=180, head=(55, F - 14))
    b.arm(angles=(160, 180))  # the bottom arm, under the head
    b.arm(end=(84, F - 2), toward=(0, -1), far=True)
    b.leg(end=(116, F - 3), toward=(0.3, -1), foot=10, far=True)  # top foot before the knee
    b.leg(angles=(-lift, -lift), foot=-90)  # the bottom leg, which lifts
    return b


def side_lying_lift(p1: Panel, p2: Panel, weighted: bool) -> None:
    for p in (p1, p2):
        p.floor(F)
    for p, body in ((p1, side_lying(0)), (p2, side_lying(11))):
        if p is p2:
            p.body(side_lying(0), ghost=True)
        j = p.body(body)
        if weighted:
            _, knee, ankle, _ = j.limb(3)
            p.weight_on(knee, ankle, 0.7, 0.95)
    p2.arrow([(152, F - 6), (152, F - 27)])


@drawing(
    "side-lying-hip-adduction-lift",
    "Start: lying on one side, the bottom leg straight on the floor and the top foot on the floor "
    "in front of the bottom knee. End: the bottom leg lifted a hand's width off the floor.",
)
def side_lying_hip_adduction_lift(p1: Panel, p2: Panel) -> None:
    side_lying_lift(p1, p2, weighted=False)


@drawing(
    "side-lying-hip-adduction-lift-weighted",
    "As the side-lying adduction lift, with a weight strapped round the bottom ankle. "
    "End: the weighted bottom leg lifted off the floor.",
)
def side_lying_hip_adduction_lift_weighted(p1: Panel, p2: Panel) -> None:
    side_lying_lift(p1, p2, weighted=True)


def banded_standing_front(working_ankle: Pt) -> Body:
    """Facing the viewer, the band's side on the left, right hand on a post for balance."""
    b = Body(hip=(92, STAND), front_view=True)
    b.arm(angles=(100, 95), side=-1)
    b.arm(end=(128, F - 60), toward=(1, 1), side=1)
    b.leg(end=(99, F - 2), side=1, far=True)
    b.leg(end=working_ankle, side=-1)
    return b


@drawing(
    "standing-banded-hip-adduction",
    "Front view. Start: standing, a band tied low to a post on the left looped round the left "
    "ankle, that leg a little out to the side. End: the leg drawn across in front of the other.",
)
def standing_banded_hip_adduction(p1: Panel, p2: Panel) -> None:
    for p, ankle in ((p1, (80.0, F - 2)), (p2, (106.0, F - 5))):
        p.floor(F)
        p.post(16, F - 16, F)
        p.post(132, F - 58, F)
        if p is p2:
            p.body(banded_standing_front((80, F - 2)), ghost=True)
        j = p.body(banded_standing_front(ankle))
        p.band([(18, F - 9), j.limb(3)[2]])
    p2.curved_arrow((72, F - 20), (90, F - 30), (108, F - 20))


def copenhagen(p: Panel, *, shoulder: Pt, elbow: Pt, hip: Pt | None, support: Pt, knee_on: bool):
    """Side-lying on an elbow, the top leg's knee (short lever) or ankle (long lever) on a bench."""
    b = Body(hip=hip or straight_from(shoulder, support), shoulder=shoulder)
    b.arm(mid=elbow, end=(elbow[0] + 15, F - 3))
    b.arm(end=(b.hip[0] - 3, b.hip[1] - 7), toward=(0, -1), far=True)  # top hand on the hip
    lifted = hip is None
    if lifted:
        b.leg(end=(b.hip[0] + 34, F - 3), toward=(-0.2, 1), far=True)  # bottom leg hangs free
    else:
        b.leg(angles=(2, 0), far=True)  # bottom leg on the floor, under the bench
    if knee_on:
        b.leg(mid=support, end=(support[0] + 23, support[1]), foot=-70)
    else:
        b.leg(end=support, toward=(0, -1), foot=-70)
    return b


def copenhagen_pair(p1: Panel, p2: Panel, knee_on: bool) -> None:
    if knee_on:
        bench_x, support, start_hip = 106.0, (112.0, F - 25), (92.0, F - 6)
        start_shoulder, end_shoulder, elbow = (66.0, F - 16), (56.0, F - 20), (56.0, F - 3)
    else:
        # The leg reaches the bench straight: only the foot rests on it, the knee is in the air.
        bench_x, support, start_hip = 106.0, (112.0, F - 25), (68.5, F - 6)
        start_shoulder, end_shoulder, elbow = (45.0, F - 16), (35.0, F - 20), (35.0, F - 3)
    for p in (p1, p2):
        p.floor(F)
        bench(p, bench_x, 50, F - 22)
    start = dict(shoulder=start_shoulder, elbow=elbow, hip=start_hip, support=support)
    p1.body(copenhagen(p1, **start, knee_on=knee_on))
    p2.body(copenhagen(p2, **start, knee_on=knee_on), ghost=True)
    j = p2.body(
        copenhagen(
            p2, shoulder=end_shoulder, elbow=elbow, hip=None, support=support, knee_on=knee_on
        )
    )
    hip = j.hip
    p2.arrow([(hip[0] - 8, F - 4), (hip[0] - 8, hip[1] - 12)])


@drawing(
    "copenhagen-plank-short-lever",
    "Front view. Start: lying on one side propped on the elbow, the inside of the top knee on a "
    "bench, hips on the floor. End: hips lifted so the body is straight from shoulder to knee, "
    "the bottom leg hanging free under the bench.",
)
def copenhagen_plank_short_lever(p1: Panel, p2: Panel) -> None:
    copenhagen_pair(p1, p2, knee_on=True)


@drawing(
    "copenhagen-plank-long-lever",
    "Front view. Start: lying on one side propped on the elbow, the inside of the top foot on a "
    "bench, hips on the floor. End: hips lifted so the body is straight from shoulder to foot, "
    "the bottom leg hanging free under the bench.",
)
def copenhagen_plank_long_lever(p1: Panel, p2: Panel) -> None:
    copenhagen_pair(p1, p2, knee_on=False)


# Hip abductors


def bridge(hip: Pt, shoulder: Pt = (62, F - 6), hands: Pt | None = None) -> Body:
    """Lying on the back, head left, knees bent and feet flat."""
    b = Body(hip=hip, shoulder=shoulder, head=(52, F - 8))
    b.arm(end=hands or (96, F - 2), toward=(0, -1), far=True)
    b.leg(end=(124, F - 3), toward=(0, -1), foot=0, far=True)
    b.arm(end=hands or (94, F - 2), toward=(0, -1))
    b.leg(end=(122, F - 3), toward=(0, -1), foot=0)
    return b


BRIDGE_DOWN: Pt = (92, F - 6)
BRIDGE_UP: Pt = (88, F - 22)


@drawing(
    "banded-bridge-knees-out",
    "Side view. Start: lying on the back, knees bent, feet flat, a band just above the knees. "
    "End: hips lifted into a straight line from shoulders to knees, knees pressing out on the "
    "band.",
)
def banded_bridge_knees_out(p1: Panel, p2: Panel) -> None:
    for p, hip in ((p1, BRIDGE_DOWN), (p2, BRIDGE_UP)):
        p.floor(F)
        if p is p2:
            p.body(bridge(BRIDGE_DOWN), ghost=True)
        j = p.body(bridge(hip))
        p.band_ring(j.limb(3)[1], 5, 5)
    p2.arrow([(BRIDGE_UP[0] - 2, BRIDGE_UP[1] - 6), (BRIDGE_UP[0] - 2, BRIDGE_UP[1] - 24)])


def abduction_front(working_ankle: Pt) -> Body:
    b = Body(hip=(84, STAND), front_view=True)
    b.arm(end=(50, F - 62), toward=(-1, 1), side=-1)  # left hand on the post
    b.arm(angles=(82, 90), side=1)
    b.leg(end=(78, F - 2), side=-1, far=True)
    b.leg(end=working_ankle, side=1)
    return b


@drawing(
    "standing-banded-hip-abduction",
    "Front view. Start: standing with a band round both ankles, one hand on a post. "
    "End: one leg moved out to the side against the band, the trunk upright.",
)
def standing_banded_hip_abduction(p1: Panel, p2: Panel) -> None:
    for p, ankle in ((p1, (91.0, F - 2)), (p2, (110.0, F - 6))):
        p.floor(F)
        p.post(46, F - 60, F)
        if p is p2:
            p.body(abduction_front((91, F - 2)), ghost=True)
        j = p.body(abduction_front(ankle))
        left, right = j.limb(2)[2], j.limb(3)[2]
        p.band([(left[0], left[1] - 4), (right[0], right[1] - 4)])
    p2.curved_arrow((104, F - 30), (120, F - 28), (124, F - 14))


STEP_TOP = F - 14


def hip_hike_body(tilt: float) -> Body:
    """Front view, standing on the left leg on a step, the right leg hanging off its edge."""
    half = 10.0
    standing_hip = (80.0, STEP_TOP - 2 - sum(LEG))
    hip = along(standing_hip, tilt, half)
    # The pelvis is drawn wider than usual, so that its tilt shows.
    b = Body(hip=hip, front_view=True, pelvis_tilt=tilt, pelvis_half=half)
    b.arm(angles=(112, 100), side=-1)
    b.arm(angles=(68, 80), side=1)
    b.leg(end=(80, STEP_TOP - 2), side=-1)
    b.leg(angles=(90, 90), side=1)
    return b


def hip_hike_pair(p1: Panel, p2: Panel, weighted: bool) -> None:
    for p, tilt in ((p1, 20.0), (p2, -18.0)):
        p.floor(F)
        p.box(40, STEP_TOP, 52, F - STEP_TOP)
        if p is p2:
            p.body(hip_hike_body(20), ghost=True)
        j = p.body(hip_hike_body(tilt))
        if weighted:
            p.kettlebell(j.limb(1)[2])
    p2.curved_arrow((122, F - 50), (128, F - 58), (120, F - 68))


@drawing(
    "hip-hike",
    "Front view. Start: standing on one leg on a step, the other leg hanging off the edge, that "
    "side of the pelvis dropped. End: both knees straight, the hanging side of the pelvis lifted "
    "higher than level.",
)
def hip_hike(p1: Panel, p2: Panel) -> None:
    hip_hike_pair(p1, p2, weighted=False)


@drawing(
    "hip-hike-weighted",
    "As the hip hike, holding a kettlebell in the hand on the hanging side. End: the hanging "
    "side of the pelvis lifted higher than level.",
)
def hip_hike_weighted(p1: Panel, p2: Panel) -> None:
    hip_hike_pair(p1, p2, weighted=True)


# Hip extensors


@drawing(
    "weighted-bridge-hip-thrust",
    "Side view. Start: lying on the back, knees bent, a weight plate held across the hips. "
    "End: hips lifted into a straight line from shoulders to knees.",
)
def weighted_bridge_hip_thrust(p1: Panel, p2: Panel) -> None:
    for p, hip in ((p1, BRIDGE_DOWN), (p2, BRIDGE_UP)):
        p.floor(F)
        plate = (hip[0], hip[1] - 10)
        if p is p2:
            p.body(bridge(BRIDGE_DOWN, hands=(BRIDGE_DOWN[0], BRIDGE_DOWN[1] - 10)), ghost=True)
        p.body(bridge(hip, hands=plate))
        p.plate(plate, 9)
    p2.arrow([(BRIDGE_UP[0] - 14, BRIDGE_UP[1] - 4), (BRIDGE_UP[0] - 14, BRIDGE_UP[1] - 24)])


def standing_side(hip: Pt, near_leg: tuple[float, float], *, hold: bool = True) -> Body:
    """Side view facing right; with ``hold``, both hands on a post in front."""
    b = Body(hip=hip)
    if hold:
        b.arm(end=(104, F - 63), toward=(0, 1), far=True)
        b.arm(end=(106, F - 61), toward=(0, 1))
    b.leg(angles=(90, 90), foot=0, far=True)
    b.leg(angles=near_leg, foot=near_leg[1] - 90)
    return b


@drawing(
    "standing-banded-hip-extension",
    "Side view. Start: standing tall holding a post, a band from the post's foot looped round the "
    "near ankle. End: that leg pushed straight back a short way against the band.",
)
def standing_banded_hip_extension(p1: Panel, p2: Panel) -> None:
    for p, leg in ((p1, (90.0, 90.0)), (p2, (112.0, 114.0))):
        p.floor(F)
        p.post(110, F - 64, F)
        if p is p2:
            p.body(standing_side((80, STAND), (90, 90)), ghost=True)
        j = p.body(standing_side((80, STAND), leg))
        p.band([(108, F - 8), j.limb(3)[2]])
    p2.curved_arrow((72, F - 14), (60, F - 12), (50, F - 20))


def deadlift(hinge: bool) -> Body:
    if hinge:
        b = Body(hip=(70, F - 47), torso=-12)
        b.arm(angles=(86, 90), far=True)
        b.leg(angles=(172, 176), foot=95, far=True)
        b.leg(end=(78, F - 2), toward=(1, 0), foot=0)
        b.arm(angles=(92, 90))
    else:
        b = Body(hip=(76, STAND + 1))
        b.arm(angles=(94, 90), far=True)
        b.leg(angles=(96, 104), foot=40, far=True)
        b.leg(end=(78, F - 2), toward=(1, 0), foot=0)
        b.arm(angles=(96, 92))
    return b


@drawing(
    "single-leg-deadlift",
    "Side view. Start: standing on one leg, knee soft, the other foot just off the floor. "
    "End: hinged forwards at the hip with a flat back, the free leg reaching straight back.",
)
def single_leg_deadlift(p1: Panel, p2: Panel) -> None:
    p1.floor(F)
    p1.body(deadlift(False))
    p2.floor(F)
    p2.body(deadlift(False), ghost=True)
    p2.body(deadlift(True))
    p2.curved_arrow((90, F - 98), (118, F - 96), (126, F - 74))


# Hip flexors


def supine_flexion(lift: float) -> Body:
    b = Body(hip=(90, F - 6), torso=180, head=(50, F - 8))
    b.arm(end=(94, F - 2), toward=(0, -1), far=True)
    b.leg(end=(118, F - 3), toward=(0, -1), foot=0, far=True)
    b.arm(end=(92, F - 2), toward=(0, -1))
    b.leg(angles=(-lift, -lift), foot=-90 - lift)
    return b


@drawing(
    "supine-hip-flexion-reduced-range",
    "Side view. Start: lying on the back, one knee bent with the foot flat, the other leg straight "
    "on the floor. End: the straight leg lifted part way, well short of the knee to the chest.",
)
def supine_hip_flexion_reduced_range(p1: Panel, p2: Panel) -> None:
    p1.floor(F)
    p1.body(supine_flexion(0))
    p2.floor(F)
    p2.body(supine_flexion(0), ghost=True)
    p2.body(supine_flexion(32))
    p2.curved_arrow((146, F - 12), (150, F - 28), (138, F - 40))


def march(hip: Pt, lifted: bool) -> Body:
    b = Body(hip=hip)
    b.arm(end=(88, F - 64), toward=(1, 1), far=True)  # on a post beside, behind the body
    b.leg(angles=(90, 90), foot=0, far=True)
    b.leg(angles=(0, 90) if lifted else (90, 90), foot=10 if lifted else 0)
    b.arm(angles=(96, 92))
    return b


@drawing(
    "standing-resisted-march",
    "Side view. Start: standing tall, a band looped round both feet, one hand on a post. "
    "End: one knee lifted in front to hip height against the band, the trunk upright.",
)
def standing_resisted_march(p1: Panel, p2: Panel) -> None:
    hip = (70.0, STAND)
    for p, lifted in ((p1, False), (p2, True)):
        p.floor(F)
        p.post(89, F - 66, F)
        if p is p2:
            p.body(march(hip, False), ghost=True)
        j = p.body(march(hip, lifted))
        standing, moving = j.limb(1)[2], j.limb(2)[2]
        if lifted:
            p.band([(standing[0], standing[1] - 3), (moving[0], moving[1] - 3)])
        else:
            p.band_ring((standing[0], standing[1] - 3), 6, 3)
    p2.curved_arrow((104, F - 14), (108, F - 30), (102, F - 44))


def front_plank(lift: float = 0) -> Body:
    """On forearms and toes, head right, the body straight from shoulders to heels."""
    shoulder, ankle = (112.0, F - 21), (34.0, F - 9)
    b = Body(hip=straight_from(shoulder, ankle), shoulder=shoulder)
    b.arm(mid=(112, F - 3), end=(127, F - 3), far=True)
    b.leg(end=(36, F - 8), foot=95, far=True)
    line = angle_of(b.hip, ankle)
    b.leg(angles=(line + lift, line + lift), foot=line + lift - 80)
    b.arm(mid=(110, F - 3), end=(125, F - 3))
    return b


@drawing(
    "plank-with-hip-extension",
    "Side view. Start: front plank on forearms and toes, body in a straight line. "
    "End: one leg lifted a little off the floor, hips level.",
)
def plank_with_hip_extension(p1: Panel, p2: Panel) -> None:
    p1.floor(F)
    p1.body(front_plank())
    p2.floor(F)
    p2.body(front_plank(), ghost=True)
    p2.body(front_plank(14))
    p2.curved_arrow((22, F - 10), (16, F - 20), (22, F - 30))


# Trunk


def side_plank(*, knees: bool, up: bool) -> Body:
    """Front view of a side plank on the elbow, from the knees or from the feet, head left."""
    elbow = (32.0, F - 3)
    support = (86.0, F - 5) if knees else (104.0, F - 7)
    if up:
        shoulder = (32.0, F - 20)
        b = Body(hip=straight_from(shoulder, support), shoulder=shoulder)
    else:
        b = Body(hip=(62.0, F - 6) if knees else (58.0, F - 6), shoulder=(40.0, F - 17))
    b.arm(mid=elbow, end=(46, F - 3))
    b.arm(end=(b.hip[0] - 2, b.hip[1] - 8), toward=(0, -1), far=True)
    for far, shift in ((True, -3.0), (False, 0.0)):
        end = (support[0] + shift, support[1] - (0 if knees else 0))
        if knees:
            b.leg(mid=end, end=along(end, -35, 20), far=far)
        else:
            b.leg(end=end, foot=80, far=far, toward=(0, -1))
    return b


def side_plank_pair(p1: Panel, p2: Panel, knees: bool) -> None:
    p1.floor(F)
    p1.body(side_plank(knees=knees, up=False))
    p2.floor(F)
    p2.body(side_plank(knees=knees, up=False), ghost=True)
    j = p2.body(side_plank(knees=knees, up=True))
    hip = j.hip
    p2.arrow([(hip[0] + 2, hip[1] - 8), (hip[0] + 2, hip[1] - 28)])


@drawing(
    "side-plank-knee",
    "Front view. Start: lying on one side on the elbow, knees bent. End: hips lifted so the body "
    "is straight from head to knees, resting on the elbow and the knee.",
)
def side_plank_knee(p1: Panel, p2: Panel) -> None:
    side_plank_pair(p1, p2, knees=True)


@drawing(
    "side-plank-full",
    "Front view. Start: lying on one side on the elbow, legs straight and feet stacked. End: hips "
    "lifted so the body is straight from head to feet, resting on the elbow and the feet.",
)
def side_plank_full(p1: Panel, p2: Panel) -> None:
    side_plank_pair(p1, p2, knees=False)


def pallof() -> Body:
    """Front view, side-on to a band anchored on the left, pressing it straight out in front."""
    b = Body(hip=(96, STAND + 3), front_view=True)
    b.leg(end=(86, F - 2), side=-1, toward=(-1, 0))
    b.leg(end=(106, F - 2), side=1, toward=(1, 0))
    b.arm(end=(95, F - 70), toward=(-1, 1), side=-1)
    b.arm(end=(97, F - 70), toward=(1, 1), side=1)
    return b


@drawing(
    "front-plank-pallof-chops-lifts",
    "Two of the variations. Left: a front plank held on forearms and toes. Right: a Pallof press, "
    "standing side-on to a band anchored at chest height, hands held straight out in front.",
    alternatives=True,
)
def front_plank_pallof(p1: Panel, p2: Panel) -> None:
    p1.floor(F)
    p1.body(front_plank())
    p2.floor(F)
    p2.post(18, F - 80, F)
    p2.band([(20, F - 70), (96, F - 70)])
    p2.body(pallof())
    p2.circle((96, F - 70), 4, KIT)


# Functional: squat


def squat(hip: Pt, torso: float, arms: tuple[float, float], goblet: bool = False) -> Body:
    b = Body(hip=hip, torso=torso)
    if goblet:
        hands = along(along(hip, torso, 24), torso + 90, -12)
        b.arm(end=hands, toward=(0, 1), far=True)
    else:
        b.arm(angles=arms, far=True)
    b.leg(end=(80, F - 2), toward=(1, 0), foot=0, far=True)
    b.leg(end=(78, F - 2), toward=(1, 0), foot=0)
    if goblet:
        b.arm(end=hands, toward=(0, 1))
    else:
        b.arm(angles=arms)
    return b


def squat_pair(p1: Panel, p2: Panel, deep: bool) -> None:
    standing = squat((76, STAND), -90, (94, 92), goblet=deep)
    down = (
        squat((56, F - 27), -52, (-4, -4), goblet=True)
        if deep
        else squat((62, F - 38), -64, (-8, -8))
    )
    for p in (p1, p2):
        p.floor(F)
        chair(p, 24, F - 28)
    p1.body(standing)
    p2.body(standing, ghost=True)
    j = p2.body(down)
    if deep:
        for body, p in ((standing, p1), (down, p2)):
            hands = body.joints().limb(3)[2]
            p.kettlebell((hands[0], hands[1] - 2))
    hip = j.hip
    p2.curved_arrow(
        (hip[0] - 12, STAND - 6), (hip[0] - 20, (hip[1] + STAND) / 2), (hip[0] - 10, hip[1] + 2)
    )


@drawing(
    "squat-comfortable-range",
    "Side view, a chair behind. Start: standing, feet hip-width apart. End: sitting back into a "
    "part squat, only as low as is comfortable, hips well above the seat, arms forward.",
)
def squat_comfortable_range(p1: Panel, p2: Panel) -> None:
    squat_pair(p1, p2, deep=False)


@drawing(
    "squat-more-range-intensity",
    "Side view, a chair behind. Start: standing, holding a kettlebell at the chest. End: a deeper "
    "squat, thighs nearly level with the seat, knees in line with the toes.",
)
def squat_more_range_intensity(p1: Panel, p2: Panel) -> None:
    squat_pair(p1, p2, deep=True)


def split_squat(hip: Pt) -> Body:
    b = Body(hip=hip)
    b.arm(angles=(94, 90), far=True)
    b.leg(end=(48, F - 7), toward=(0.4, 1), foot=62, far=True)  # back leg, on the toes
    b.leg(end=(102, F - 2), toward=(1, 0), foot=0)
    b.arm(angles=(96, 92))
    return b


@drawing(
    "single-leg-squat-variants",
    "Side view, a split squat. Start: one foot well in front of the other, the back heel up. End: "
    "the back knee lowered towards the floor, the trunk upright.",
)
def single_leg_squat_variants(p1: Panel, p2: Panel) -> None:
    p1.floor(F)
    p1.body(split_squat((76, STAND + 3)))
    p2.floor(F)
    p2.body(split_squat((76, STAND + 3)), ghost=True)
    p2.body(split_squat((76, F - 30)))
    p2.arrow([(58, STAND - 10), (58, F - 46)])


# Functional: jumping


def hop(air: bool, *, one_leg: bool = False) -> Body:
    """Side view: crouched ready on the floor, or in the air, legs long and toes pointed."""
    if air:
        b = Body(hip=(78, STAND - 14), torso=-86)
        b.arm(angles=(34, 0), far=True)
    else:
        b = Body(hip=(72, F - 40), torso=-70)
        b.arm(angles=(150, 128), far=True)
    if one_leg:
        b.leg(angles=(104, 184), foot=110, far=True)
    elif air:
        b.leg(angles=(94, 96), foot=66, far=True)
    else:
        b.leg(end=(80, F - 2), toward=(1, 0), foot=0, far=True)
    if air:
        b.leg(angles=(91, 93), foot=64)
        b.arm(angles=(28, -6))
    else:
        b.leg(end=(78, F - 2), toward=(1, 0), foot=0)
        b.arm(angles=(144, 122))
    return b


def hop_pair(p1: Panel, p2: Panel, one_leg: bool) -> None:
    p1.floor(F)
    p1.body(hop(False, one_leg=one_leg))
    p2.floor(F)
    p2.body(hop(False, one_leg=one_leg), ghost=True)
    p2.ellipse((80, F - 1), 11, 2, "#adb5bd", "#adb5bd", 1)  # the shadow left on the floor
    p2.body(hop(True, one_leg=one_leg))
    p2.arrow([(120, F - 20), (120, F - 50)])


@drawing(
    "two-leg-vertical-hops",
    "Side view. Start: standing on both feet, knees slightly bent. End: a small hop straight up, "
    "both feet off the floor.",
)
def two_leg_vertical_hops(p1: Panel, p2: Panel) -> None:
    hop_pair(p1, p2, one_leg=False)


def lateral(x: float) -> Body:
    b = Body(hip=(x, F - 45), front_view=True, torso=-92)
    b.arm(angles=(115, 100), side=-1)
    b.arm(angles=(65, 80), side=1)
    b.leg(end=(x - 8, F - 2), side=-1, toward=(-1, 0))
    b.leg(end=(x + 8, F - 2), side=1, toward=(1, 0))
    return b


@drawing(
    "lateral-hops",
    "Front view. Start: standing on both feet to one side of a line on the floor. End: landed on "
    "the other side of the line after a small sideways hop.",
)
def lateral_hops(p1: Panel, p2: Panel) -> None:
    for p in (p1, p2):
        p.floor(F)
        p.polyline([(80, F - 5), (80, F + 5)], KIT, 3.5)
    p1.body(lateral(44))
    p2.body(lateral(44), ghost=True)
    p2.body(lateral(116))
    p2.curved_arrow((56, F - 14), (80, F - 48), (104, F - 14))


@drawing(
    "single-leg-hops",
    "Side view. Start: standing on one leg, the other knee bent behind. End: a small hop straight "
    "up on that leg.",
)
def single_leg_hops(p1: Panel, p2: Panel) -> None:
    hop_pair(p1, p2, one_leg=True)


# Running drills


def overhead_march(lifted: bool, dowel: bool) -> Body:
    b = Body(hip=(76, STAND))
    b.arm(angles=(-98, -98) if dowel else (-92, -92), far=True)
    b.leg(angles=(90, 90), foot=0, far=True)
    b.leg(angles=(0, 90) if lifted else (90, 90), foot=10 if lifted else 0)
    b.arm(angles=(-82, -82) if dowel else (-74, -74))
    return b


def overhead_pair(p1: Panel, p2: Panel, dowel: bool) -> None:
    for p, lifted in ((p1, False), (p2, True)):
        p.floor(F)
        if p is p2:
            p.body(overhead_march(False, dowel), ghost=True)
        j = p.body(overhead_march(lifted, dowel))
        if dowel:
            far, near = j.limb(0)[2], j.limb(3)[2]
            p.dowel((far[0] - 12, far[1] + 3), (near[0] + 12, near[1] - 3))
    p2.curved_arrow((112, F - 12), (116, F - 30), (110, F - 44))


@drawing(
    "marching-hands-overhead",
    "Side view. Start: standing tall, both arms straight up overhead. End: one knee lifted to hip "
    "height as in a marching step, trunk upright.",
)
def marching_hands_overhead(p1: Panel, p2: Panel) -> None:
    overhead_pair(p1, p2, dowel=False)


@drawing(
    "marching-dowel-overhead",
    "Side view. Start: standing tall holding a stick overhead with straight arms, hands wide. "
    "End: one knee lifted to hip height, the stick level.",
)
def marching_dowel_overhead(p1: Panel, p2: Panel) -> None:
    overhead_pair(p1, p2, dowel=True)


# Return to running

Angles = tuple[float, float]
# Leg and arm angles (near leg, far leg, near arm, far arm) for moments of a running stride; a
# near leg of None stands on the ground under the hip.
STRIDES: dict[str, tuple[Angles | None, Angles, Angles, Angles]] = {
    "stance": (None, (100.0, 190.0), (104.0, 20.0), (78.0, -8.0)),
    "flight": ((58.0, 104.0), (122.0, 150.0), (62.0, -22.0), (122.0, 36.0)),
    "sprint": ((32.0, 98.0), (138.0, 178.0), (42.0, -44.0), (138.0, 52.0)),
}


def runner(hip: Pt, torso: float, stride: str, ground: float = F) -> Body:
    near_leg, far_leg, near_arm, far_arm = STRIDES[stride]
    b = Body(hip=hip, torso=torso)
    b.arm(angles=far_arm, far=True)
    b.leg(angles=far_leg, foot=far_leg[1] - 70, far=True)
    if near_leg is None:
        b.leg(end=(hip[0] + 3, ground - 2), toward=(1, 0), foot=-5)
    else:
        b.leg(angles=near_leg, foot=near_leg[1] - 90)
    b.arm(angles=near_arm)
    return b


def easy(p: Panel, talk_lines: int = 3) -> None:
    p.floor(F)
    j = p.body(runner((74, F - 46), -84, "stance"))
    head = j.head
    if talk_lines:
        p.speech((head[0] + 34, head[1] - 8), talk_lines, (head[0] + 11, head[1] - 1))


@drawing(
    "conversational-pace-running",
    "Side view. Two moments of an easy run with short, quick steps and a tall posture, talking "
    "the whole time (the speech bubble).",
)
def conversational_pace_running(p1: Panel, p2: Panel) -> None:
    easy(p1)
    p2.floor(F)
    j = p2.body(runner((74, F - 50), -84, "flight"))
    head = j.head
    p2.speech((head[0] + 34, head[1] - 8), 3, (head[0] + 11, head[1] - 1))


@drawing(
    "easy-running-plus-strides",
    "Side view. Start: an easy run. End: a stride, gradually speeding up to a fast, long, relaxed "
    "stride (speed lines), before easing off.",
)
def easy_running_plus_strides(p1: Panel, p2: Panel) -> None:
    easy(p1, talk_lines=0)
    p2.floor(F)
    p2.body(runner((86, F - 50), -74, "sprint"))
    p2.speed_lines(40, [F - 78, F - 64, F - 50], 20)
    p2.arrow([(30, F - 6), (54, F - 6)])


@drawing(
    "tempo-running",
    "Side view. Start: an easy warm-up, talking freely. End: a comfortably hard, steady pace, "
    "able to say only a few words (small speech bubble), timed (stopwatch).",
)
def tempo_running(p1: Panel, p2: Panel) -> None:
    easy(p1)
    p2.floor(F)
    j = p2.body(runner((78, F - 50), -79, "flight"))
    head = j.head
    p2.speech((head[0] + 34, head[1] - 8), 1, (head[0] + 11, head[1] - 1))
    p2.speed_lines(40, [F - 72, F - 58], 14)
    p2.stopwatch((26, F - 96))


def slope_y(x: float) -> float:
    return F - (x - 6) * 0.3


@drawing(
    "hills-and-faster-running",
    "Side view. Start: an easy run on the flat. End: running up a hill, leaning into it, the "
    "knee driving higher.",
)
def hills_and_faster_running(p1: Panel, p2: Panel) -> None:
    easy(p1, talk_lines=0)
    p2.polygon([(6, F), (154, slope_y(154)), (154, F), (6, F)], "#e9ecef", KIT, 2)
    foot_x = 80.0
    hip = (foot_x - 6, slope_y(foot_x) - 45)
    b = Body(hip=hip, torso=-72)
    b.arm(angles=(130, 50), far=True)
    b.leg(end=(foot_x - 2, slope_y(foot_x - 2) - 2), toward=(1, 0), foot=-20, far=True)
    b.leg(angles=(12, 96), foot=-6)
    b.arm(angles=(40, -44))
    p2.body(b)
    p2.arrow([(108, slope_y(108) + 10), (140, slope_y(140) + 10)])
