"""API tokens of clinicians, clinic admins and staff made before second factors were required
are revoked: from now on their tokens are issued only after the second factor."""

from django.db import migrations


def revoke_clinician_tokens(apps, schema_editor):
    AuthToken = apps.get_model("knox", "AuthToken")
    AuthToken.objects.exclude(user__role="patient", user__is_staff=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_session_generation"),
        ("knox", "0009_extend_authtoken_field"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("usersessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(revoke_clinician_tokens, migrations.RunPython.noop)]
