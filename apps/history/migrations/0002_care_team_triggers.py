"""The care team's triggers: Django keeps no migration state for an auto-created many-to-many
table, so pgtrigger's own migrations leave it out. Installed here from the registered ones."""

import pgtrigger
from django.db import migrations


def _care_team_triggers():
    from apps.patients.models import Patient

    through = Patient.care_team.through
    return [(model, trigger) for model, trigger in pgtrigger.registered() if model is through]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, trigger in _care_team_triggers():
        trigger.install(model, database=schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, trigger in _care_team_triggers():
        trigger.uninstall(model, database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
