import logging
from datetime import datetime

from apps.accounts.models import User
from apps.patients.models import Patient

logger = logging.getLogger(__name__)


def record_export_log(*, user: User, patient: Patient, fmt: str, at: datetime) -> None:
    """One line per export: who, whose record, when and in which form.

    Ids and the role only: the line goes to shared log storage, so no name, email or health
    detail. The access log (apps/audit) records each export as well (``access_note``).
    """
    logger.info(
        "record_export requester=%s role=%s patient=%s format=%s at=%s",
        user.pk,
        user.role,
        patient.pk,
        fmt,
        at.isoformat(),
    )
