"""Benchmark: the reminder morning at scale, with everything committed and really published.

Seeds N patients (as ``bench_reminder_tick`` does), runs one tick for real: its transaction
commits and its on-commit publish hands every email to the broker, timed apart. Then it sends
some of those emails to a local SMTP sink (aiosmtpd in a child process) in one process, first
one connection per email, then in batches over one connection, and prints emails per second.
Afterwards it deletes what it made and purges the queue it filled, so it wants a database and a
broker of its own:

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

from apps.accounts.models import Clinic, User
from apps.patients.models import Patient
from apps.programs.models import Program
from apps.reminders.models import Notification
from apps.reminders.services import outbox, reminders_tick
from apps.reminders.services.delivery import notification_email_deliver
from apps.reminders.tasks import notification_email_send

from .bench_reminder_tick import Command as TickBench

QUEUE = "celery"
CLINIC = "Bench morning clinic"


class Command(BaseCommand):
    help = "Time one committed tick and its publish for N patients, and email delivery rates."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=100_000)
        parser.add_argument("--emails", type=int, default=2_000, help="how many to send by SMTP")
        parser.add_argument("--clean", action="store_true", help="only delete a run's leftovers")

    def handle(self, *args, patients, emails, clean, **options):
        app = notification_email_send.app
        if clean:
            return self._clean(app)
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise CommandError("Set CELERY_BROKER_URL=redis://... : the publish is measured.")
        if app.conf.task_always_eager:
            raise CommandError("Eager tasks publish nothing: use the local settings.")
        if Clinic.objects.filter(name=CLINIC).exists() or self._queued(app):
            raise CommandError(f"Leftovers: a '{CLINIC}' or messages in the '{QUEUE}' queue.")
        try:
            self._run(app, patients, emails)
        finally:
            self._clean(app)

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
        half = len(ids) // 2
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
            self._rate("one connection per email", ids[:half], self._one_by_one)
            batched = getattr(self, "_batched", None)
            if batched is not None:
                self._rate("batches on one connection", ids[half:], batched)

    def _one_by_one(self, ids: list[int]) -> int:
        return sum(notification_email_deliver(notification_id=pk) for pk in ids)

    def _rate(self, label: str, ids: list[int], deliver):
        started = time.perf_counter()
        sent = deliver(ids)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"SMTP, {label}: {sent} of {len(ids)} sent in {elapsed:.1f} s, "
            f"{sent / elapsed:.0f} emails/s in one worker process"
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

    def _clean(self, app):
        started = time.perf_counter()
        with app.connection_for_write() as conn:
            purged = conn.default_channel.queue_purge(QUEUE)
        clinic = Clinic.objects.filter(name=CLINIC).first()
        if clinic is not None:
            # Programs protect their author, so they go before the people.
            Program.objects.filter(patient__clinic=clinic).delete()
            Notification.objects.filter(recipient__clinic=clinic).delete()
            Patient.objects.filter(clinic=clinic).delete()
            User.objects.filter(clinic=clinic).delete()
            clinic.delete()
        self.stdout.write(
            f"cleaned up in {time.perf_counter() - started:.1f} s "
            f"({purged} messages purged from '{QUEUE}'; data deleted)"
        )
