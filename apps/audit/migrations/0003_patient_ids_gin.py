"""On PostgreSQL a GIN index serves "rows naming this patient" (jsonb @>), so a patient's
audit page stays fast as the log grows over years of retention."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS audit_patient_ids_gin "
    "ON audit_auditevent USING gin (patient_ids jsonb_path_ops)"
)
BACKWARD = "DROP INDEX IF EXISTS audit_patient_ids_gin"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forward, backward)]
