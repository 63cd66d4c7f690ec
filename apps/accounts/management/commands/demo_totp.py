"""Print the demo clinicians' current authenticator code, for local runs of the demo.

It knows only the demo key that `seed_demo` gives the demo clinician and admin (a public key,
like the demo password): it reads nothing from the database and opens no real account.
"""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from apps.common.management.commands.seed_demo import DEMO_TOTP_SECRET

PERIOD = 30


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo clinician and admin."

    def handle(self, *args, **options):
        now = time.time()
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now // PERIOD)))
        left = PERIOD - int(now % PERIOD)
        self.stdout.write(f"{code}  (demo clinician and admin; valid for {left} more seconds)")
