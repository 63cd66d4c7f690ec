"""Chaos: every fault of issue 16's table, re-run against real processes, loses nothing.

A real Celery worker (prefork, concurrency 2, both queues), a separate beat and gunicorn run
with the production settings, their PostgreSQL, Redis and SMTP behind TCP proxies this test
controls (tests/reminders/chaos.py). Delays are shortened through the same environment variables
production reads (``TIMINGS``), faults are shortened too (``CHAOS_OUTAGE_SCALE=4`` gives
durations close to the issue's), ``CHAOS_REMINDERS`` sets the batch size (30), and any of
``TIMINGS`` can be overridden with a ``CHAOS_`` prefix (``CHAOS_EMAIL_TIMEOUT=5``).

Each scenario asserts: every due reminder and every alert delivered, none twice except the
documented gap (a send the SMTP server accepted before the worker could record it: the copy
carries the same Message-ID), and the processes recovered without a restart. It prints one row
of the table: fault, expected, delivered, lost, duplicated, seconds to recover after the fault.

Needs PostgreSQL (the processes must see the test database) and a ``redis://``
CELERY_BROKER_URL; skipped otherwise, unless GREENLIGHT_REQUIRE_SERVICES=1. Run alone with
``pytest -m chaos``; about 5 minutes on two cores.
"""

import http.client
import json
import os
import signal
import threading
import time
from datetime import timedelta

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from apps.reminders.models import Notification
from tests.factories import (
    ExerciseFactory,
    PatientFactory,
    PrescribedExerciseFactory,
    ProgramFactory,
    UserFactory,
)

from .chaos import LpushTrigger, Process, Proxy, SmtpServer, free_port, wait_for

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
BROKER = os.environ.get("CELERY_BROKER_URL", "")
REMINDERS = int(os.environ.get("CHAOS_REMINDERS", "30"))
SCALE = float(os.environ.get("CHAOS_OUTAGE_SCALE", "1"))
# Production's defaults in brackets; the ratios between them are kept.
TIMINGS = {
    "EMAIL_TIMEOUT": "2",  # (20)
    "DATABASE_CONNECT_TIMEOUT": "2",  # (5)
    "DATABASE_STATEMENT_TIMEOUT_MS": "5000",  # (15000)
    "DATABASE_REQUEST_DEADLINE": "6",  # (25)
    "CELERY_TASK_SOFT_TIME_LIMIT": "20",  # (60)
    "CELERY_TASK_TIME_LIMIT": "25",  # (90) so the email lease is 33 s (120)
    "CELERY_VISIBILITY_TIMEOUT": "60",  # (300)
    "CELERY_BROKER_SOCKET_TIMEOUT": "2",  # (3)
    # 3 … 48 s (1, 5, 15, 60, 180 min), stretched with the faults: an outage must stay well
    # inside the retry budget, as 3 minutes are inside production's 4.4 hours.
    "DELIVERY_RETRY_MINUTES": ",".join(f"{m * SCALE:g}" for m in (0.05, 0.1, 0.2, 0.4, 0.8)),
    "DELIVERY_SWEEP_SECONDS": "2",  # (60)
    "DELIVERY_GRACE_SECONDS": "5",  # (120)
    "SMTP_PAUSE_SECONDS": "3",  # (30)
    "DELIVERY_EMAIL_BATCH": "3",  # (50) so a batch of reminders is ten messages
    "REMINDER_TICK_SECONDS": "3",  # (60)
}
TIMINGS.update({k: os.environ[f"CHAOS_{k}"] for k in TIMINGS if f"CHAOS_{k}" in os.environ})
_LIMIT = int(TIMINGS["CELERY_TASK_TIME_LIMIT"])
LEASE = _LIMIT + max(5, _LIMIT // 3)  # as in settings: 33 s here
LONGEST_WAIT = 60 * max(float(m) for m in TIMINGS["DELIVERY_RETRY_MINUTES"].split(","))
GUNICORN_TIMEOUT = 30
TABLE: list[dict] = []


def _missing(reason):
    if os.environ.get("GREENLIGHT_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (GREENLIGHT_REQUIRE_SERVICES is set)")
    pytest.skip(reason)


class Stack:
    """Proxies, the SMTP server and the three processes, shared by the scenarios."""

    def __init__(self, logs, db):
        broker = redis.Redis.from_url(BROKER)
        broker.delete("celery", "scheduler", "unacked", "unacked_index", "unacked_mutex")
        redis_db = broker.connection_pool.connection_kwargs.get("db", 0)
        self.pg = Proxy("postgresql", int(db["PORT"] or 5432))
        self.redis = Proxy("redis", broker.connection_pool.connection_kwargs.get("port", 6379))
        self.smtp = SmtpServer()
        self.web_port = free_port()
        env = {
            **os.environ,
            **TIMINGS,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "chaos-test-key-not-secret",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{self.pg.port}/{db['NAME']}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis.port}/{redis_db}",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.proxy.port}",
        }
        celery = ["celery", "-A", "config"]
        self.worker = Process(
            "worker",
            [*celery, "worker", "--pool", "prefork", "--concurrency", "2", "-Q", "celery,scheduler"]
            + ["--loglevel", "INFO", "--without-mingle", "--without-gossip", "-n", "chaos@%h"],
            env,
            logs,
            "ready.",
        )
        self.beat = Process(
            "beat",
            [*celery, "beat", "--loglevel", "INFO", "--schedule", str(logs / "beat-schedule")],
            env,
            logs,
            "beat: Starting",
        )
        self.web = Process(
            "gunicorn",
            ["gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}"]
            + ["--workers", "2", "--timeout", str(GUNICORN_TIMEOUT), "--graceful-timeout", "5"],
            env,
            logs,
            "Booting worker",
        )
        for process in (self.worker, self.beat, self.web):
            process.start()

    def reset(self) -> None:
        for proxy in (self.pg, self.redis, self.smtp.proxy):
            proxy.restore()
        self.smtp.inbox.clear()
        if not self.worker.alive():
            self.worker.start()

    def pids(self) -> tuple:
        return (self.worker.pid, self.beat.pid, self.web.pid)

    def close(self) -> None:
        for process in (self.worker, self.beat, self.web):
            process.stop()
        for proxy in (self.pg, self.redis):
            proxy.close()
        self.smtp.close()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.tail(25)}" for p in (self.worker, self.beat, self.web))


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    if not BROKER.startswith("redis://"):
        _missing("CELERY_BROKER_URL is not a redis:// URL")
    if connection.vendor != "postgresql":
        _missing("the chaos processes need the PostgreSQL test database")
    stack = Stack(tmp_path_factory.mktemp("chaos"), connection.settings_dict)
    yield stack
    stack.close()
    _print_table()
    with django_db_blocker.unblock():
        _wait_for_sessions_to_end()


def _wait_for_sessions_to_end() -> None:
    """PostgreSQL ends a cut session a moment later; the test database is dropped after us."""
    with connection.cursor() as cursor:

        def alone():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0] == 0

        wait_for(alone, timeout=15)
    connection.close()


@pytest.fixture
def chaos(stack, request):
    stack.reset()
    pids = stack.pids()
    yield stack
    print(stack.logs())  # shown by pytest only when the scenario failed
    # recovered without a restart (the scenario that kills the worker restarts it itself)
    assert all(p.alive() for p in (stack.worker, stack.beat, stack.web)), stack.logs()
    if "worker_killed" not in request.node.name:
        assert stack.pids() == pids


class Fault:
    """Starts a fault (from any thread), ends it ``seconds`` later; remembers when."""

    def __init__(self, name: str, seconds: float, begin, end):
        self.name, self.seconds, self._begin, self._end = name, seconds, begin, end
        self.started = self.ended = None
        self.done = threading.Event()

    def begin(self, *args) -> None:
        if self.started is not None:
            return
        self.started = time.monotonic()
        self._begin()
        threading.Timer(self.seconds, self.end).start()

    def end(self) -> None:
        self._end()
        self.ended = time.monotonic()
        self.done.set()


def at_copy(count: int, action):
    """An inbox hook that runs ``action`` (in a thread) once the ``count``-th copy is kept."""

    def hook(copies: int) -> None:
        if copies >= count:
            threading.Thread(target=action).start()

    return hook


def _patients_due(count: int, clinician) -> list[str]:
    """``count`` patients whose reminder is due now, created in one commit (so one tick)."""
    now = timezone.now()
    with transaction.atomic():
        exercise = ExerciseFactory(clinic=clinician.clinic)
        addresses = []
        for _ in range(count):
            patient = PatientFactory(
                user__timezone="UTC",
                user__clinic=clinician.clinic,
                care_team=[clinician],
                reminder_time=(now - timedelta(minutes=5)).time(),
            )
            program = ProgramFactory(
                patient=patient,
                created_by=clinician,
                sessions_per_week=7,
                start_date=now.date() - timedelta(days=1),
            )
            PrescribedExerciseFactory(program=program, exercise=exercise)
            addresses.append(patient.user.email)
    return addresses


def _all_sent(addresses, kind="workout_due") -> bool:
    rows = Notification.objects.filter(recipient__email__in=addresses, kind=kind)
    return rows.count() >= len(set(addresses)) and not rows.exclude(email_status="sent").exists()


def _gap_rows(stack: Stack, addresses, kind) -> set[str]:
    """Rows the SMTP server accepted whose sender never recorded it: the documented gap.

    Two looks a second apart: a live sender records its send within milliseconds.
    """

    def accepted_but_pending():
        accepted = {message_id for _, _, message_id in stack.smtp.inbox.for_(addresses)}
        pending = Notification.objects.filter(
            recipient__email__in=addresses, kind=kind, email_status="pending"
        )
        return {n.email_message_id() for n in pending} & accepted

    first = accepted_but_pending()
    time.sleep(1)
    return first & accepted_but_pending()


def _settle(
    stack: Stack, fault: Fault, addresses, *, kind="workout_due", extra=None, report=True
) -> dict:
    """Wait for the fault to end and every row to be sent (no later copy is possible), then
    count what arrived, and record the table row."""
    budget = fault.seconds + LEASE + LONGEST_WAIT + 60
    assert fault.done.wait(budget), f"the fault never started or ended\n{stack.logs()}"
    gap = _gap_rows(stack, addresses, kind)
    wait_for(lambda: _all_sent(addresses, kind), timeout=budget, interval=0.5)
    tally = stack.smtp.inbox.tally(addresses)
    last = tally.pop("last_at")
    row = {
        "fault": fault.name,
        "seconds": round(fault.seconds),
        **{k: tally[k] for k in ("expected", "delivered", "lost", "duplicated")},
        "recover_s": round(max(0.0, (last or fault.ended) - fault.ended), 1),
        "in the gap": len(gap),
        **(extra or {}),
    }
    TABLE.append(row)
    if report:
        _report(row)
    return {**row, "duplicate_ids": tally["duplicate_ids"], "gap": gap}


def _report(row: dict) -> None:
    _write(f"chaos: {_format(row)}")


def _write(line: str) -> None:
    """Straight to the terminal, past pytest's capture: the figures are the point."""
    if not _CONFIG:
        return
    capture = _CONFIG[0].pluginmanager.get_plugin("capturemanager")
    reporter = _CONFIG[0].pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


def _format(row: dict) -> str:
    cells = [
        f"{row['fault']:<52}",
        f"{row['seconds']:>4} s",
        f"expected {row['expected']:>3}",
        f"delivered {row['delivered']:>3}",
        f"lost {row['lost']:>2}",
        f"duplicated {row['duplicated']}",
        f"recovered {row['recover_s']:>5} s after",
    ]
    notes = [f"{k} {v}" for k, v in row.items() if k not in _COLUMNS]
    return " | ".join(cells + notes)


_COLUMNS = {"fault", "seconds", "expected", "delivered", "lost", "duplicated", "recover_s"}
_CONFIG: list = []


@pytest.fixture(autouse=True)
def _config(request):
    if not _CONFIG:
        _CONFIG.append(request.config)


def _print_table() -> None:
    if TABLE:
        _write("")
        _write(f"chaos table ({REMINDERS} reminders a batch, faults x{SCALE}):")
        for row in TABLE:
            _write("  " + _format(row))


def _assert_nothing_lost(row: dict) -> None:
    assert (row["lost"], row["delivered"]) == (0, row["expected"]), row
    # A duplicate only where the server accepted a send its worker could not record, at most
    # one per send in flight (concurrency 2); its copies share their Message-ID by construction.
    assert set(row["duplicate_ids"]) <= row["gap"], row
    assert row["duplicated"] <= 2, row


def test_postgresql_refused_during_a_send_batch(chaos, clinician):
    fault = Fault(
        "PostgreSQL refused during a send batch", 12 * SCALE, chaos.pg.refuse, chaos.pg.restore
    )
    chaos.smtp.inbox.on_accept = at_copy(REMINDERS // 3, fault.begin)

    addresses = _patients_due(REMINDERS, clinician)

    _assert_nothing_lost(_settle(chaos, fault, addresses))


def test_redis_dropped_while_the_tick_enqueues(chaos, clinician):
    fault = Fault(
        "Redis dropped while the tick enqueues", 10 * SCALE, chaos.redis.refuse, chaos.redis.restore
    )
    # the tick's pushes of email tasks: a third go through, then the connection drops
    pushes = REMINDERS // 3 // int(TIMINGS["DELIVERY_EMAIL_BATCH"])
    chaos.redis.on_client_data = LpushTrigger("celery", pushes, fault.begin)

    addresses = _patients_due(REMINDERS, clinician)

    _assert_nothing_lost(_settle(chaos, fault, addresses))


def test_a_pool_process_killed_mid_batch(chaos, clinician):
    def kill_one():
        time.sleep(0.05)  # somewhere inside a send, not at a chosen point
        os.kill(chaos.worker.children()[0], signal.SIGKILL)

    fault = Fault("a pool process killed with kill -9 mid-batch", 0, kill_one, lambda: None)
    chaos.smtp.inbox.on_accept = at_copy(REMINDERS // 3, fault.begin)
    addresses = _patients_due(REMINDERS, clinician)

    row = _settle(chaos, fault, addresses)

    _assert_nothing_lost(row)
    assert row["duplicated"] <= 1  # only the killed process's send could be in the gap


def test_the_worker_killed_after_smtp_accepted_before_the_commit(chaos, clinician):
    killed = threading.Event()

    def kill_worker(copies):
        # inside the server's DATA handler: this copy is accepted, its 250 not yet sent
        if copies == REMINDERS // 3 and not killed.is_set():
            chaos.worker.kill_group()
            killed.set()

    chaos.smtp.inbox.on_accept = kill_worker
    addresses = _patients_due(REMINDERS, clinician)
    assert killed.wait(60), chaos.logs()
    # the supervisor (compose's restart policy) starts a new worker
    fault = Fault(
        "worker killed after SMTP accepted, before the commit", 0, chaos.worker.start, lambda: None
    )
    fault.begin()

    row = _settle(chaos, fault, addresses)

    _assert_nothing_lost(row)
    # the send killed after its acceptance goes out again (at most the other process's too)
    assert 1 <= row["duplicated"] == len(row["gap"])


def test_smtp_refusing_connections(chaos, clinician):
    fault = Fault(
        "SMTP refusing connections",
        20 * SCALE,
        lambda: chaos.smtp.proxy.refuse(cut=False),
        chaos.smtp.proxy.restore,
    )
    chaos.smtp.inbox.on_accept = at_copy(REMINDERS // 3, fault.begin)
    addresses = _patients_due(REMINDERS, clinician)
    assert wait_for(lambda: fault.started is not None, 60), chaos.logs()
    # a patient whose reminder falls due during the outage
    during = _patients_due(3, clinician)
    assert wait_for(lambda: _all_rows(during), 15)
    assert not chaos.smtp.inbox.for_(during)
    assert not fault.done.is_set()

    row = _settle(chaos, fault, addresses + during)

    _assert_nothing_lost(row)
    arrived = [when for when, _, _ in chaos.smtp.inbox.for_(during)]
    assert min(arrived) >= fault.ended  # it arrived after the outage, not lost in it


def test_smtp_accepting_but_silent(chaos, clinician):
    fault = Fault(
        "SMTP accepting but silent",
        20 * SCALE,
        lambda: chaos.smtp.proxy.pause(new_only=True),
        chaos.smtp.proxy.restore,
    )
    chaos.smtp.inbox.on_accept = at_copy(REMINDERS // 3, fault.begin)
    addresses = _patients_due(REMINDERS, clinician)
    assert wait_for(lambda: fault.started is not None, 60), chaos.logs()
    # the scheduler keeps ticking while the worker waits on the silent server
    created = time.monotonic()
    during = _patients_due(3, clinician)
    assert wait_for(lambda: _all_rows(during), 15), "the tick stalled behind the mail"
    tick_delay = round(time.monotonic() - created, 1)

    row = _settle(chaos, fault, addresses + during, extra={"tick during fault": f"{tick_delay} s"})

    _assert_nothing_lost(row)
    assert tick_delay <= float(TIMINGS["REMINDER_TICK_SECONDS"]) + 6


def _all_rows(addresses) -> bool:
    return Notification.objects.filter(recipient__email__in=addresses).count() == len(addresses)


def _api(
    stack: Stack, method: str, path: str, token: str, body=None, timeout=GUNICORN_TIMEOUT + 10
):
    conn = http.client.HTTPConnection("127.0.0.1", stack.web_port, timeout=timeout)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.monotonic()
    try:
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        conn.close()


def _patient_with_own_clinician():
    from knox.models import AuthToken

    clinician = UserFactory()
    patient = PatientFactory(user__clinic=clinician.clinic, care_team=[clinician])
    program = ProgramFactory(patient=patient, created_by=clinician, sessions_per_week=7)
    item = PrescribedExerciseFactory(
        program=program, exercise=ExerciseFactory(clinic=clinician.clinic)
    )
    _, token = AuthToken.objects.create(user=patient.user)
    return clinician.email, token, item.pk


def test_redis_down_while_patients_log_pain_9_workouts(chaos):
    # given three patients, each with their own clinician, and Redis down
    people = [_patient_with_own_clinician() for _ in range(3)]
    fault = Fault(
        "Redis down while patients log pain-9 workouts",
        10 * SCALE,
        chaos.redis.refuse,
        chaos.redis.restore,
    )
    fault.begin()
    # when each logs a workout with pain 9
    answers = [
        _api(
            chaos,
            "POST",
            "/api/v1/workouts/",
            token,
            {"results": [{"prescribed": item, "set_values": [8, 8, 8], "pain_during": 9}]},
        )
        for _, token, item in people
    ]
    # then each is saved (201), and each clinician's alert arrives after Redis returns
    assert [status for status, _, _ in answers] == [201, 201, 201], answers
    clinicians = [email for email, _, _ in people]
    row = _settle(
        chaos,
        fault,
        clinicians,
        kind="clinician_alert",
        extra={"slowest 201": f"{max(s for _, _, s in answers):.1f} s"},
    )
    _assert_nothing_lost(row)
    assert min(when for when, _, _ in chaos.smtp.inbox.for_(clinicians)) >= fault.ended


def test_postgresql_partitioned(chaos, clinician):
    _, token, _ = _patient_with_own_clinician()
    assert _api(chaos, "GET", "/api/v1/me/", token)[0] == 200
    answers = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                status, _, seconds = _api(chaos, "GET", "/api/v1/me/", token)
            except OSError as error:  # no answer at all: what the 503 is meant to prevent
                status, seconds = type(error).__name__, None
            answers.append((status, seconds))
            time.sleep(0.3)

    fault = Fault("PostgreSQL partitioned", 12 * SCALE, chaos.pg.pause, chaos.pg.restore)
    askers = [threading.Thread(target=keep_asking) for _ in range(2)]
    for asker in askers:
        asker.start()
    time.sleep(1)
    fault.begin()
    during = _patients_due(5, clinician)  # reminders fall due while the workers cannot see them

    row = _settle(chaos, fault, during, report=False)
    stop.set()
    for asker in askers:
        asker.join()
    statuses = {status for status, _ in answers}
    slowest = max(seconds for _, seconds in answers if seconds is not None)
    row_extra = {
        "API answers": "/".join(str(s) for s in sorted(statuses, key=str)),
        "slowest": f"{slowest:.1f} s",
    }
    TABLE[-1].update(row_extra)
    _report(TABLE[-1])

    _assert_nothing_lost(row)
    assert statuses <= {200, 503}, answers  # every request got an answer
    assert 503 in statuses
    limit = (
        float(TIMINGS["DATABASE_REQUEST_DEADLINE"]) + float(TIMINGS["DATABASE_CONNECT_TIMEOUT"]) + 3
    )
    assert slowest < limit < GUNICORN_TIMEOUT
    assert _api(chaos, "GET", "/api/v1/me/", token)[0] == 200
