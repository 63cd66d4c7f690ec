"""Load the shared exercise library (docs/clinical.md, "Exercise library") as frozen data.

Every row here is a library row (``clinic`` is empty). The doses are defaults a clinician changes
per patient (docs/clinical.md, "Dosage defaults"); the caution tags flag exercises a clinician should think
twice about for some patients (docs/clinical.md, "Cautions the product should know").
"""

from django.db import migrations

DEEP_FLEXION = "deep_hip_flexion"
IMPACT = "impact"

# Default doses, as (dose_kind, sets, target_low, target_high).
STRENGTH = ("reps", 3, 8, 10)  # 2-3 sets of 8-10 reps; 3 sets by default, a clinician can lower it
TRUNK_HOLD = ("hold", 3, 20, 30)  # 3 sets of 20-30 s holds
# Copenhagen planks are very demanding isometrics (the whole body hangs off the adductors), so they
# start from shorter holds than the trunk planks.
COPENHAGEN_HOLD = ("hold", 3, 10, 20)
DRILL_STEPS = ("reps", 3, 10, 20)  # one rep is a step with each leg


def _run(low, high):
    """A single running session of ``low``-``high`` minutes."""
    return ("duration", 1, low, high)


LIBRARY = [
    {
        "slug": "hip-adductors",
        "name": "Hip adductors",
        "region": "hip",
        "description": (
            "Strengthens the inner-thigh muscles, starting lying on your side and ending with "
            "Copenhagen planks. Side-lying lifts are the gentlest start for an irritable hip."
        ),
        "exercises": [
            {
                "slug": "side-lying-hip-adduction-lift",
                "name": "Side-lying hip adduction lift",
                "dose": STRENGTH,
                "rep_hold_seconds": 2,
                "instructions": (
                    "Lie on your side with the bottom leg straight and the top foot resting on the "
                    "floor in front of that knee. Lift the bottom leg a hand's width off the floor, "
                    "hold it there for 2 to 3 seconds, then lower it slowly. You should feel the "
                    "inner thigh of the bottom leg working, and you should stop before pain rises "
                    "above your limit."
                ),
            },
            {
                "slug": "side-lying-hip-adduction-lift-weighted",
                "name": "Side-lying hip adduction lift with ankle weight",
                "dose": STRENGTH,
                "rep_hold_seconds": 2,
                "instructions": (
                    "Set up as for the side-lying adduction lift, with an ankle weight strapped to "
                    "the bottom leg. Lift the leg, hold it for 2 to 3 seconds, and lower it under "
                    "control. Choose a weight that lets you finish every set without pain rising "
                    "above your limit."
                ),
            },
            {
                "slug": "standing-banded-hip-adduction",
                "name": "Standing hip adduction with a resistance band",
                "dose": STRENGTH,
                "instructions": (
                    "Tie a band to something sturdy at ankle height and loop it around the ankle "
                    "nearest the anchor. Standing tall and holding on for balance if you need to, "
                    "draw that leg across in front of the other one and let it return slowly. Keep "
                    "your pelvis level and your trunk still, so the movement comes from the hip."
                ),
            },
            {
                "slug": "copenhagen-plank-short-lever",
                "name": "Copenhagen plank, short lever (knee supported)",
                "dose": COPENHAGEN_HOLD,
                "instructions": (
                    "Lie on your side propped on your elbow, with the inside of your top knee "
                    "resting on a bench or chair. Lift your hips until your body forms a straight "
                    "line and hold the position, with the bottom leg hanging free or tucked under "
                    "the bench. This is a very demanding exercise, so start with short holds and "
                    "lower yourself if pain rises above your limit."
                ),
            },
            {
                "slug": "copenhagen-plank-long-lever",
                "name": "Copenhagen plank, long lever (foot supported)",
                "dose": COPENHAGEN_HOLD,
                "instructions": (
                    "Set up as for the short-lever Copenhagen plank, but rest the inside of your top "
                    "foot on the bench instead of your knee. Lift your hips into a straight line and "
                    "hold, keeping your body from rolling forwards or backwards. Only move on to "
                    "this version once the short-lever plank feels easy."
                ),
            },
        ],
    },
    {
        "slug": "hip-abductors",
        "name": "Hip abductors",
        "region": "hip",
        "description": (
            "Strengthens the muscles on the side of the hip that keep the pelvis level when you "
            "stand, walk and run on one leg."
        ),
        "exercises": [
            {
                "slug": "banded-bridge-knees-out",
                "name": "Bridge with a band around the knees",
                "dose": STRENGTH,
                "instructions": (
                    "Lie on your back with your knees bent, feet flat and a band just above your "
                    "knees. Lift your hips off the floor and, at the top, push your knees gently "
                    "out against the band before lowering slowly. You should feel the back and side "
                    "of your hips working, not your lower back."
                ),
            },
            {
                "slug": "standing-banded-hip-abduction",
                "name": "Standing resisted hip abduction (band)",
                "dose": STRENGTH,
                "instructions": (
                    "Stand tall with a band around your ankles, holding on to a wall or chair for "
                    "balance. Move one leg out to the side without leaning your trunk the other way, "
                    "then bring it back slowly. Keep your toes pointing forwards throughout."
                ),
            },
            {
                "slug": "hip-hike",
                "name": "Hip hike (pelvic hike off a step)",
                "dose": STRENGTH,
                "instructions": (
                    "Stand sideways on a step on one leg, with the other foot hanging just off the "
                    "edge. Keeping both knees straight, let the hanging side of your pelvis drop, "
                    "then lift it back up until it is higher than level. The work should be felt on "
                    "the side of the standing hip."
                ),
            },
            {
                "slug": "hip-hike-weighted",
                "name": "Hip hike with added load",
                "dose": STRENGTH,
                "instructions": (
                    "Do the hip hike while holding a dumbbell or kettlebell in the hand on the "
                    "hanging side, or wearing a weighted backpack. Move slowly in both directions "
                    "and keep the standing knee straight. Pick a load that lets you finish every "
                    "set without pain rising above your limit."
                ),
            },
        ],
    },
    {
        "slug": "hip-extensors",
        "name": "Hip extensors",
        "region": "hip",
        "description": (
            "Strengthens the glutes and hamstrings, from heavy bridges in a small range to a "
            "single-leg deadlift that also trains balance and hip position sense."
        ),
        "exercises": [
            {
                "slug": "weighted-bridge-hip-thrust",
                "name": "Bridge or hip thrust with a weight over the pelvis",
                "dose": STRENGTH,
                "instructions": (
                    "Lie on your back, or with your shoulders on a bench, knees bent and a weight "
                    "resting across your hips. Squeeze your buttocks to lift your hips until your "
                    "body is in a straight line from shoulders to knees, then lower slowly. The "
                    "range is small, so you can use a heavy load without irritating the hip."
                ),
            },
            {
                "slug": "standing-banded-hip-extension",
                "name": "Standing resisted hip extension (band)",
                "dose": STRENGTH,
                "instructions": (
                    "Loop a band around one ankle and anchor it in front of you at ankle height. "
                    "Standing tall and holding on for balance, push that leg straight back a short "
                    "way, then let it return slowly. Keep your lower back from arching, so the "
                    "movement comes from the hip."
                ),
            },
            {
                "slug": "single-leg-deadlift",
                "name": "Single-leg deadlift",
                "dose": STRENGTH,
                "instructions": (
                    "Stand on one leg with a soft knee and hinge forwards at the hip, letting the "
                    "other leg reach straight back behind you. Go only as far as you can keep your "
                    "back flat and your pelvis level, then squeeze your buttock to stand back up. "
                    "Move slowly, because balance is part of the exercise."
                ),
            },
        ],
    },
    {
        "slug": "hip-flexors",
        "name": "Hip flexors",
        "region": "hip",
        "description": (
            "Hip flexors are often weak as well as tight, so this progression loads them rather "
            "than stretching them."
        ),
        "exercises": [
            {
                "slug": "supine-hip-flexion-reduced-range",
                "name": "Supine hip flexion in a reduced range",
                "dose": STRENGTH,
                "instructions": (
                    "Lie on your back with one leg straight and the other knee bent, foot flat. "
                    "Slowly lift the straight leg, or slide the bent knee towards you, only as far "
                    "as it stays comfortable, well short of bringing the knee to your chest. Lower "
                    "it slowly and stop if you feel a pinch at the front of the hip."
                ),
            },
            {
                "slug": "standing-resisted-march",
                "name": "Standing hip flexion (resisted march)",
                "dose": STRENGTH,
                "instructions": (
                    "Stand tall with a band looped around both feet or tied behind one ankle, "
                    "holding on for balance. Lift one knee in front of you as in a marching step, "
                    "no higher than hip height, then lower it slowly. Keep your trunk upright rather "
                    "than leaning back to help the lift."
                ),
            },
            {
                "slug": "plank-with-hip-extension",
                "name": "Plank with hip extension",
                "dose": TRUNK_HOLD,
                "instructions": (
                    "Get into a front plank on your forearms and toes with your body in a straight "
                    "line. Lift one leg a little off the floor and hold it there, keeping your hips "
                    "level and your lower back from sagging. The hold works the hip flexors of the "
                    "supporting leg hard, so stop before pain rises above your limit."
                ),
            },
        ],
    },
    {
        "slug": "trunk",
        "name": "Trunk",
        "region": "trunk",
        "description": (
            "Builds endurance and control of the trunk muscles with isometric holds of 20 to 30 "
            "seconds."
        ),
        "exercises": [
            {
                "slug": "side-plank-knee",
                "name": "Side plank from knee and elbow",
                "dose": TRUNK_HOLD,
                "instructions": (
                    "Lie on your side with your knees bent and your elbow under your shoulder. Lift "
                    "your hips until your body is straight from head to knees and hold still. "
                    "Breathe normally and lower yourself if you start to sag or twist."
                ),
            },
            {
                "slug": "side-plank-full",
                "name": "Full side plank",
                "dose": TRUNK_HOLD,
                "instructions": (
                    "Lie on your side with your legs straight, feet stacked and your elbow under "
                    "your shoulder. Lift your hips until your body is straight from head to feet and "
                    "hold still. Breathe normally and lower yourself if you start to sag or twist."
                ),
            },
            {
                "slug": "front-plank-pallof-chops-lifts",
                "name": "Front plank variations, Pallof press, chops and lifts",
                "dose": TRUNK_HOLD,
                "instructions": (
                    "Do the variation your clinician has chosen for you, such as a front plank on "
                    "your forearms or a Pallof press where you hold a band straight out in front of "
                    "your chest without letting it twist you. Hold each position still with your "
                    "trunk braced and your breathing steady. Stop the set when you can no longer "
                    "keep good form."
                ),
            },
        ],
    },
    {
        "slug": "functional-squat",
        "name": "Functional retraining: squat",
        "region": "functional",
        "description": (
            "Retrains the squat, first in a comfortable range and then with more range, load and "
            "single-leg work."
        ),
        "exercises": [
            {
                "slug": "squat-comfortable-range",
                "name": "Squat in a comfortable range",
                "dose": STRENGTH,
                "instructions": (
                    "Stand with your feet about hip-width apart and sit back as if onto a chair, "
                    "going only as low as feels comfortable. Keep your knees in line with your toes "
                    "and your weight spread across your whole foot. Push through your feet to stand "
                    "up again."
                ),
            },
            {
                "slug": "squat-more-range-intensity",
                "name": "Squat with more range or intensity",
                "dose": STRENGTH,
                "cautions": [DEEP_FLEXION],
                "instructions": (
                    "Squat as before, but go a little deeper, move more slowly, or hold a weight as "
                    "your clinician suggests. Only add depth that stays comfortable, and stop if "
                    "you feel a pinch at the front of the hip. Stand up with control, keeping your "
                    "knees in line with your toes."
                ),
            },
            {
                "slug": "single-leg-squat-variants",
                "name": "Single-leg squat variants: split squat, shrimp squat",
                "dose": STRENGTH,
                "cautions": [DEEP_FLEXION],
                "instructions": (
                    "For a split squat, stand with one foot well in front of the other and lower "
                    "your back knee towards the floor, keeping your trunk upright. For a shrimp "
                    "squat, stand on one leg, hold the other foot behind you and bend the standing "
                    "knee to lower yourself. Go only as deep as stays comfortable at the front of "
                    "the hip, and stop before pain rises above your limit."
                ),
            },
        ],
    },
    {
        "slug": "functional-jumping",
        "name": "Functional retraining: jumping",
        "region": "functional",
        "description": (
            "Reintroduces impact gradually, from small two-legged hops to single-leg hops."
        ),
        "exercises": [
            {
                "slug": "two-leg-vertical-hops",
                "name": "Small two-legged vertical hops",
                "dose": STRENGTH,
                "cautions": [IMPACT],
                "instructions": (
                    "Stand with your feet hip-width apart and make small, springy hops straight up "
                    "and down. Land softly on the balls of your feet with your knees slightly bent. "
                    "Keep the hops low, and rest if the landing starts to feel heavy."
                ),
            },
            {
                "slug": "lateral-hops",
                "name": "Hops with changes of direction (lateral hops)",
                "dose": STRENGTH,
                "cautions": [IMPACT],
                "instructions": (
                    "Hop on both feet from side to side over a line on the floor, or forwards and "
                    "back. Land softly with your knees in line with your toes and your trunk upright. "
                    "Keep the hops small and quick, and stop if the hip starts to hurt."
                ),
            },
            {
                "slug": "single-leg-hops",
                "name": "Single-leg hops",
                "dose": STRENGTH,
                "cautions": [IMPACT],
                "instructions": (
                    "Stand on one leg and make small hops in place, landing softly each time. Keep "
                    "your pelvis level and your knee in line with your toes. Stop the set if you "
                    "lose control of the landing or pain rises above your limit."
                ),
            },
        ],
    },
    {
        "slug": "running-drills",
        "name": "Running drills",
        "region": "running",
        "description": (
            "Drills that teach an upright posture and a level pelvis, which leaves the hip more "
            "room to flex when you run."
        ),
        "exercises": [
            {
                "slug": "marching-hands-overhead",
                "name": "Marching with hands overhead",
                "dose": DRILL_STEPS,
                "instructions": (
                    "Stand tall with both arms reaching straight up overhead. March on the spot or "
                    "forwards, lifting each knee in turn while your trunk stays upright and your "
                    "pelvis stays level. One rep is a step with each leg."
                ),
            },
            {
                "slug": "marching-dowel-overhead",
                "name": "Marching with a dowel overhead",
                "dose": DRILL_STEPS,
                "instructions": (
                    "Hold a broomstick or dowel overhead with straight arms, hands wider than your "
                    "shoulders. March on the spot or forwards, lifting each knee in turn without "
                    "letting the stick tip forwards or your back arch. One rep is a step with each "
                    "leg."
                ),
            },
        ],
    },
    {
        "slug": "return-to-running",
        "name": "Return to running",
        "region": "running",
        "description": (
            "Each stage takes the hip into more flexion, so move on only while your response stays "
            "green or yellow. Hills and faster running come last."
        ),
        "exercises": [
            {
                "slug": "conversational-pace-running",
                "name": "Conversational-pace running",
                "dose": _run(10, 20),
                "cautions": [IMPACT],
                "instructions": (
                    "Run at an easy pace where you could hold a conversation the whole time. Keep "
                    "your steps short and quick and your posture tall. Stop while you still feel "
                    "good, before pain arrives."
                ),
            },
            {
                "slug": "easy-running-plus-strides",
                "name": "Easy running plus strides",
                "dose": _run(20, 30),
                "cautions": [IMPACT],
                "instructions": (
                    "Run at an easy pace, then finish with a few strides of about 15 to 20 seconds "
                    "where you gradually speed up and then ease off. Walk or jog gently between "
                    "strides. Keep your steps quick and light."
                ),
            },
            {
                "slug": "tempo-running",
                "name": "Tempo running",
                "dose": _run(20, 30),
                "cautions": [IMPACT],
                "instructions": (
                    "After an easy warm-up, run part of the session at a comfortably hard pace "
                    "where you can speak only a few words at a time. Ease back to an easy pace to "
                    "finish. Stop before pain rises above your limit, and note how the hip feels the "
                    "next morning."
                ),
            },
            {
                "slug": "hills-and-faster-running",
                "name": "Hills and faster running",
                "dose": _run(20, 40),
                "cautions": [IMPACT, DEEP_FLEXION],
                "instructions": (
                    "Add short hill climbs or faster sections to an easy run, as your clinician "
                    "plans. Both take the hip into more flexion than easy running, so build up "
                    "gradually. Stop while you still feel good, and check how the hip feels the "
                    "next morning."
                ),
            },
        ],
    },
]


def load_library(apps, schema_editor):
    Progression = apps.get_model("exercises", "Progression")
    Exercise = apps.get_model("exercises", "Exercise")
    for order, prog in enumerate(LIBRARY, start=1):
        progression, _ = Progression.objects.update_or_create(
            slug=prog["slug"],
            defaults={
                "name": prog["name"],
                "region": prog["region"],
                "description": prog["description"],
                "order": order,
            },
        )
        for level, ex in enumerate(prog["exercises"], start=1):
            dose_kind, sets, low, high = ex["dose"]
            Exercise.objects.update_or_create(
                slug=ex["slug"],
                clinic=None,
                defaults={
                    "progression": progression,
                    "level": level,
                    "name": ex["name"],
                    "region": prog["region"],
                    "instructions": ex["instructions"],
                    "dose_kind": dose_kind,
                    "default_sets": sets,
                    "default_target_low": low,
                    "default_target_high": high,
                    "default_rep_hold_seconds": ex.get("rep_hold_seconds"),
                    "cautions": list(ex.get("cautions", [])),
                },
            )


def unload_library(apps, schema_editor):
    Progression = apps.get_model("exercises", "Progression")
    Exercise = apps.get_model("exercises", "Exercise")
    exercise_slugs = [ex["slug"] for prog in LIBRARY for ex in prog["exercises"]]
    Exercise.objects.filter(clinic=None, slug__in=exercise_slugs).delete()
    # Progression -> Exercise is PROTECT: if a clinic's own exercise still points at one of these
    # progressions, this raises rather than silently deleting clinic data.
    Progression.objects.filter(slug__in=[prog["slug"] for prog in LIBRARY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_library, unload_library),
    ]
