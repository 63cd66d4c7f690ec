"""Set up a clinic for its first admin: ``manage.py create_clinic --name ... --admin-email ...``.

The admin gets no password from the operator: they choose one through the emailed invitation,
and then invite their colleagues on the Team page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import clinic_onboard


class Command(BaseCommand):
    help = "Create a clinic and its first admin, who is emailed a link to choose a password."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the clinic's name")
        parser.add_argument("--admin-email", required=True, help="the first admin's email")
        parser.add_argument("--admin-name", default="", help="the admin's full name")
        parser.add_argument(
            "--timezone",
            default=settings.TIME_ZONE,
            help=f"the clinic's IANA time zone, e.g. Europe/London (default {settings.TIME_ZONE})",
        )

    def handle(self, *args, name, admin_email, admin_name, timezone, **options):
        try:
            result = clinic_onboard(
                name=name, admin_email=admin_email, admin_name=admin_name, timezone=timezone
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(_summary(result, name.strip())))


def _summary(result, name: str) -> str:
    email = result.admin.email
    # The invitation is an outbox row: the worker sends it, and retries while SMTP is down.
    if result.created:
        return (
            f"Created clinic “{name}” with its admin {email}, who will be emailed a link to "
            "choose a password (it works once, for 7 days)."
        )
    if result.invitation_sent:
        return (
            f"Clinic “{name}” and its admin {email} already exist: nothing created. The admin "
            "has not chosen a password yet, so the invitation will be emailed again."
        )
    return (
        f"Clinic “{name}” and its admin {email} already exist: nothing created. The admin has "
        "chosen a password already, so no invitation was sent (they can reset a forgotten one "
        "from the login page)."
    )
