"""The shared library of education cards (docs/clinical.md, "Education the clinician hands out").

Written in plain words for patients; clinics can add their own cards next to these.
"""

from django.db import migrations

CARDS = [
    {
        "slug": "staying-active-who-targets",
        "title": "Staying active: how much is enough?",
        "topic": "activity",
        "summary": "150 minutes of cardio and two strength sessions a week, and why moving is good "
        "for your hip.",
        "body": (
            "The World Health Organization suggests that adults do at least 150 minutes of "
            "moderate cardio a week, such as brisk walking, cycling, swimming or easy running, and "
            "two sessions of strength work. Your home exercises count as strength sessions.\n\n"
            "Moderate exercise is good for joints. Cartilage is nourished by movement and load, "
            "and the muscles around the hip protect it better when they are strong.\n\n"
            "You don't have to reach 150 minutes at once. Start where you are today and add a "
            "little each week. Greenlight adds up the activities you log, so you can see how "
            "close you are."
        ),
        "reading_minutes": 2,
    },
    {
        "slug": "pain-during-exercise-traffic-light",
        "title": "Why some pain during exercise is safe",
        "topic": "pain",
        "summary": "Hurt does not always mean harm: the traffic light tells you how much is OK.",
        "body": (
            "Mild pain while you exercise is safe and expected during rehab. It does not mean you "
            "are damaging your hip. What matters is how much it hurts and how it feels the next "
            "day.\n\n"
            "Greenlight uses a traffic light. Rate your pain from 0 (none) to 10 (the worst "
            "imaginable). Green means great. Yellow, up to your limit (usually 3 out of 10), is "
            "fine. Red, above your limit, is too much for now.\n\n"
            "Check again 24 hours later: that rating matters as much as the one during the "
            "workout. A session that felt fine but left you sore the next morning was too much.\n\n"
            "A red day now and then is normal. Recovery goes up with small steps back along the "
            "way. Your clinician uses your ratings to decide when to make an exercise harder or "
            "easier."
        ),
        "reading_minutes": 2,
    },
    {
        "slug": "what-imaging-shows",
        "title": "What your scan does and doesn't tell you",
        "topic": "imaging",
        "summary": "The shape of a hip on an X-ray or MRI does not predict how much it will hurt.",
        "body": (
            "Many people with no hip pain at all have the same hip shapes and findings on X-ray "
            "or MRI as people with pain. A bump on the bone or a worn area does not, on its own, "
            "tell us how your hip will feel or what you will be able to do.\n\n"
            "Imaging is one part of the puzzle. Your clinician also looks at how your hip moves, "
            "how strong it is, what makes it better or worse, and what you want to get back to.\n\n"
            "Most people improve with the right exercise and load, whatever their scan shows."
        ),
        "reading_minutes": 2,
    },
    {
        "slug": "injections-and-surgery",
        "title": "Injections and surgery: where they fit",
        "topic": "treatment",
        "summary": "Injections can help for a while; surgery is for when a full course of rehab has "
        "not worked.",
        "body": (
            "An injection can calm pain for a while, which can make it easier to exercise. The "
            "relief often wears off, and repeated injections may harm the cartilage in the joint, "
            "so they are used sparingly.\n\n"
            "Surgery is considered when a full dose of rehab, done well and for long enough, has "
            "not helped enough. Your clinician will refer you to a specialist if that time "
            "comes.\n\n"
            "Even after surgery, exercise is what rebuilds strength and confidence: the work you "
            "do now is never wasted."
        ),
        "reading_minutes": 2,
    },
    {
        "slug": "returning-to-running",
        "title": "Returning to running",
        "topic": "running",
        "summary": "Build up in stages, keep your steps short and quick, and let the next morning "
        "guide you.",
        "body": (
            "Running comes back in stages: first easy running at a pace where you can talk, then "
            "easy running with a few short strides, then tempo running. Hills and fast running "
            "come last, because they bend the hip further.\n\n"
            "Move on to the next stage only when runs at your current stage stay green or yellow, "
            "both during the run and the next morning.\n\n"
            "Taking slightly shorter, quicker steps at the same speed, about 5 to 10 percent more "
            "steps per minute than usual, reduces the load on the hip. Your clinician may give "
            "you a target step rate: a running watch or a metronome app can help you find it."
        ),
        "reading_minutes": 2,
    },
    {
        "slug": "when-it-flares",
        "title": "When your hip flares up",
        "topic": "pain",
        "summary": "A flare is a setback, not a failure: what to do for the next few days.",
        "body": (
            "Flares happen, often after doing a bit more than usual. They settle, and they do not "
            "mean that your hip is damaged.\n\n"
            "For a few days, reduce the load: fewer sets, fewer minutes, or an easier version of "
            "each exercise. Keep moving gently rather than resting completely.\n\n"
            "Log how it feels, including the 24-hour rating. If pain stays well above your limit "
            "or keeps rising, send your clinician a message: they can adjust your program."
        ),
        "reading_minutes": 1,
    },
]


def load_cards(apps, schema_editor):
    EducationCard = apps.get_model("care", "EducationCard")
    for card in CARDS:
        EducationCard.objects.update_or_create(
            clinic=None, slug=card["slug"], defaults={k: v for k, v in card.items() if k != "slug"}
        )


def unload_cards(apps, schema_editor):
    EducationCard = apps.get_model("care", "EducationCard")
    EducationCard.objects.filter(clinic=None, slug__in=[c["slug"] for c in CARDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(load_cards, unload_cards)]
