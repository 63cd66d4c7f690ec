"""The definitions Greenlight ships (apps/outcomes/definitions/): complete for the instruments it
words itself, structure only for the licensed ones, whose wording a clinic imports.

Loaded by (code, version), so running it again, or after a file gains a new version, adds
rather than duplicates.
"""

import json
from pathlib import Path

from django.db import migrations

DEFINITIONS = Path(__file__).resolve().parent.parent / "definitions"
INSTRUMENT_SYSTEM = "https://greenlight.example.org/fhir/CodeSystem/outcome-instrument"
LICENSED_WORDING = {"hagos", "hoos-12", "ihot-12"}


def load(apps, schema_editor):
    Questionnaire = apps.get_model("outcomes", "Questionnaire")
    for path in sorted(DEFINITIONS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        code = next(c["code"] for c in doc["code"] if c["system"] == INSTRUMENT_SYSTEM)
        Questionnaire.objects.update_or_create(
            clinic=None,
            code=code,
            version=doc["version"],
            defaults={
                "title": doc["title"],
                "definition": doc,
                "wording_imported": code not in LICENSED_WORDING,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("outcomes", "Questionnaire").objects.filter(clinic=None).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
