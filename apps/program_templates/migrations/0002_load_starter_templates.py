"""Starter templates, built from docs/clinical.md ("Exercise library", "Dosage defaults").

Every clinic sees them and none may change them (a clinic saves its own copy instead). Each
names library exercises by slug; a dose left out is the exercise's default dose.
"""

from django.db import migrations

STARTERS = [
    {
        "name": "Hip strength, phase 1 (FAI)",
        "condition": "fai",
        "description": (
            "The first level of each hip progression plus trunk endurance, in low-irritability "
            "positions: side-lying, bridging and lying on the back, with hip flexion kept to a "
            "reduced range. Nothing here loads deep hip flexion or end-range external rotation, "
            "the ranges an impinging hip dislikes. Progress each exercise once the patient "
            "reaches the top of its dose with pain at or below the ceiling, during and 24 h after."
        ),
        "sessions_per_week": 3,
        "review_weeks": 4,
        "items": [
            {"slug": "side-lying-hip-adduction-lift"},
            {"slug": "banded-bridge-knees-out"},
            {"slug": "weighted-bridge-hip-thrust"},
            {"slug": "supine-hip-flexion-reduced-range"},
            {"slug": "side-plank-knee"},
        ],
        "cards": ["pain-during-exercise-traffic-light", "what-imaging-shows"],
    },
    {
        "name": "Isometric start (gluteal tendinopathy)",
        "condition": "gluteal_tendinopathy",
        "description": (
            "Long isometric holds of the hip abductors and extensors, to settle tendon pain "
            "before loading through movement. Each rep is a hold of about 10 s. Every position "
            "keeps the thigh out of adduction: no crossing the midline and no lying on the sore "
            "side, because compressing the tendon against the bone is what irritates it. "
            "Side planks and side-lying work come later, once holds are comfortable."
        ),
        "sessions_per_week": 5,
        "review_weeks": 4,
        "items": [
            {
                "slug": "banded-bridge-knees-out",
                "dose": (3, 5, 5),
                "rep_hold_seconds": 10,
                "notes": "Hold the top with the knees pressing out for 10 s; rest, then repeat.",
            },
            {
                "slug": "standing-banded-hip-abduction",
                "dose": (3, 5, 5),
                "rep_hold_seconds": 10,
                "notes": (
                    "Press the leg out against the band and hold 10 s; keep the pelvis level and "
                    "never let the leg drift across the other one."
                ),
            },
            {
                "slug": "weighted-bridge-hip-thrust",
                "dose": (3, 5, 5),
                "rep_hold_seconds": 10,
                "notes": "Hold the top for 10 s with the weight on the pelvis.",
            },
        ],
        "cards": ["pain-during-exercise-traffic-light", "when-it-flares"],
    },
    {
        "name": "Trunk endurance",
        "condition": "",
        "description": (
            "Endurance and isometric control of the trunk: 3 holds of 20–30 s each. Progress to "
            "the full side plank once 3 × 30 s from the knee stays at or below the ceiling."
        ),
        "sessions_per_week": 3,
        "review_weeks": 4,
        "items": [
            {"slug": "side-plank-knee"},
            {"slug": "front-plank-pallof-chops-lifts"},
        ],
        "cards": [],
    },
    {
        "name": "Return to running, stage 1",
        "condition": "",
        "description": (
            "Conversational-pace running, the drills that teach an upright, level pelvis, and the "
            "strength work that carries the hip through it. Move to easy running with strides "
            "only while the response stays green or yellow. Add a target step rate about 10 % "
            "above the runner's own on the running row once it is measured."
        ),
        "sessions_per_week": 3,
        "review_weeks": 4,
        "items": [
            {"slug": "conversational-pace-running"},
            {"slug": "marching-hands-overhead"},
            {"slug": "weighted-bridge-hip-thrust"},
            {"slug": "standing-banded-hip-abduction"},
            {"slug": "side-plank-knee"},
        ],
        "cards": ["returning-to-running", "pain-during-exercise-traffic-light"],
    },
]


def _item(TemplateItem, template, order, spec, exercise):
    sets, low, high = spec.get(
        "dose", (exercise.default_sets, exercise.default_target_low, exercise.default_target_high)
    )
    return TemplateItem(
        template=template,
        exercise=exercise,
        order=order,
        dose_kind=exercise.dose_kind,
        sets=sets,
        target_low=low,
        target_high=high,
        rep_hold_seconds=spec.get("rep_hold_seconds", exercise.default_rep_hold_seconds),
        notes=spec.get("notes", ""),
    )


def load_starter_templates(apps, schema_editor):
    ProgramTemplate = apps.get_model("program_templates", "ProgramTemplate")
    TemplateItem = apps.get_model("program_templates", "TemplateItem")
    Exercise = apps.get_model("exercises", "Exercise")
    EducationCard = apps.get_model("care", "EducationCard")
    for starter in STARTERS:
        fields = {k: v for k, v in starter.items() if k not in ("name", "items", "cards")}
        template, _ = ProgramTemplate.objects.update_or_create(
            clinic=None, name=starter["name"], defaults=fields
        )
        template.items.all().delete()
        TemplateItem.objects.bulk_create(
            _item(
                TemplateItem,
                template,
                order,
                spec,
                Exercise.objects.get(clinic=None, slug=spec["slug"]),
            )
            for order, spec in enumerate(starter["items"])
        )
        template.cards.set(EducationCard.objects.filter(clinic=None, slug__in=starter["cards"]))


def unload_starter_templates(apps, schema_editor):
    ProgramTemplate = apps.get_model("program_templates", "ProgramTemplate")
    ProgramTemplate.objects.filter(clinic=None, name__in=[s["name"] for s in STARTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("program_templates", "0001_initial"),
        ("exercises", "0002_load_library"),
        ("care", "0002_load_cards"),
    ]

    operations = [migrations.RunPython(load_starter_templates, unload_starter_templates)]
