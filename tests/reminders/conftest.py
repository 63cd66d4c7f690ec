import pytest

from apps.reminders.services import delivery, outbox


@pytest.fixture(autouse=True)
def _no_pause_left_over():
    """The SMTP and broker pauses live in the process: one test must not pause the next."""
    delivery.smtp_pause_clear()
    outbox._broker_paused_until = 0.0
    yield
    delivery.smtp_pause_clear()
    outbox._broker_paused_until = 0.0
