"""Benchmark: the reminder morning at scale, with everything committed and really published.

Seeds N patients (as ``bench_reminder_tick`` does), runs one tick for real: its transaction
commits and its on-commit publish hands every email to the broker, timed apart. Then it sends
some of those emails to a local SMTP sink (aiosmtpd in a child process) in one process, in turns
of one connection per email and batches over one connection, and prints emails per second.
It runs in a database of its own (the configured one's name plus ``_bench_morning``, created,
migrated and dropped), and purges the queue it filled, so it wants a broker of its own:

    DATABASE_URL=postgres://.../gl_morning CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
      python manage.py bench_reminder_morning --patients 100000
"""

import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from apps.reminders.models import Notification
from apps.reminders.services import outbox, reminders_tick
from apps.reminders.services.delivery import (
    notification_email_deliver,
    notification_emails_deliver,
)
from apps.reminders.tasks import notification_email_send

from .bench_reminder_tick import Command as TickBench

QUEUE = "celery"
CLINIC = "Bench morning clinic"


class Command(BaseCommand):
    help = "Time one committed tick and its publish for N patients, and email delivery rates."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=100_000)
        parser.add_argument("--emails", type=int, default=2_000, help="how many to send by SMTP")

    def handle(self, *args, patients, emails, **options):
        app = notification_email_send.app
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise CommandError("Set CELERY_BROKER_URL=redis://... : the publish is measured.")
        if app.conf.task_always_eager:
            raise CommandError("Eager tasks publish nothing: use the local settings.")
        if self._queued(app):
            raise CommandError(f"The '{QUEUE}' queue is not empty: use a broker of its own.")
        # Committed rows and their change history cannot be rolled back: the run gets a
        # database of its own, migrated now and dropped afterwards.
        main = connection.settings_dict["NAME"]
        connection.settings_dict["TEST"]["NAME"] = f"{main}_bench_morning"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self._run(app, patients, emails)
        finally:
            self._clean(app, main)

    def _run(self, app, patients: int, emails: int):
        now = timezone.now()
        started = time.perf_counter()
        TickBench()._seed(patients, now, clinic_name=CLINIC, prefix="morning")
        self.stdout.write(f"seeded {patients} patients in {time.perf_counter() - started:.1f} s")
        with self._publish_timed() as publish:
            started = time.perf_counter()
            queued = reminders_tick(now=now)
            total = time.perf_counter() - started
        tick = total - publish["seconds"]
        self.stdout.write(
            f"tick {tick:.1f} s + publish {publish['seconds']:.1f} s = {total:.1f} s: "
            f"{queued} emails, {publish['sent']} published, {self._queued(app)} messages in "
            f"'{QUEUE}' ({connection.vendor}, {app.conf.broker_url.split('://')[0]})"
        )
        self._smtp_rates(emails)

    @contextmanager
    def _publish_timed(self):
        """Time the on-commit publish inside the tick (its callback looks the name up)."""
        publish = outbox.outbox_publish
        seen = {"seconds": 0.0, "sent": 0}

        def timed(**ids):
            started = time.perf_counter()
            seen["sent"] += publish(**ids)
            seen["seconds"] += time.perf_counter() - started
            return seen["sent"]

        outbox.outbox_publish = timed
        try:
            yield seen
        finally:
            outbox.outbox_publish = publish

    def _smtp_rates(self, emails: int):
        ids = list(
            Notification.objects.filter(patient__clinic__name=CLINIC, email_status="pending")
            .order_by("pk")
            .values_list("pk", flat=True)[: 2 * emails]
        )
        with (
            self._smtp_sink() as port,
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_USE_SSL=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
            ),
        ):
            self._rates(ids)

    def _rates(self, ids: list[int]):
        """The two ways in turns of 100 emails, so a slower moment of the database (autovacuum
        after the tick's inserts) weighs on both alike."""
        ways = {"one connection per email": self._one_by_one, "batches": self._batched}
        spent = dict.fromkeys(ways, 0.0)
        sent = dict.fromkeys(ways, 0)
        for turn, start in enumerate(range(0, len(ids), 100)):
            label = list(ways)[turn % 2]
            started = time.perf_counter()
            sent[label] += ways[label](ids[start : start + 100])
            spent[label] += time.perf_counter() - started
        for label in ways:
            self.stdout.write(
                f"SMTP, {label}: {sent[label]} sent in {spent[label]:.1f} s, "
                f"{sent[label] / spent[label]:.0f} emails/s in one worker process"
            )

    def _one_by_one(self, ids: list[int]) -> int:
        return sum(notification_email_deliver(notification_id=pk) for pk in ids)

    def _batched(self, ids: list[int]) -> int:
        size = settings.GREENLIGHT["DELIVERY_EMAIL_BATCH"]
        return sum(
            notification_emails_deliver(notification_ids=ids[i : i + size])
            for i in range(0, len(ids), size)
        )

    @contextmanager
    def _smtp_sink(self):
        """aiosmtpd's Sink in a child process, so it does not share this process's GIL."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        sink = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
            + ["-c", "aiosmtpd.handlers.Sink"]
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            yield port
        finally:
            sink.terminate()
            sink.wait(timeout=10)

    def _queued(self, app) -> int:
        with app.connection_for_write() as conn:
            return conn.default_channel.client.llen(QUEUE)

    def _clean(self, app, main: str):
        with app.connection_for_write() as conn:
            purged = conn.default_channel.queue_purge(QUEUE)
        connection.creation.destroy_test_db(main, verbosity=0)
        self.stdout.write(f"cleaned up: {purged} messages purged from '{QUEUE}', database dropped")
