from apps.accounts.models import User
from apps.care.selectors import thread_patients_for
from apps.patients.models import Patient


def withheld_sections(*, user: User, patient: Patient) -> list[str]:
    """Sections of an exportable record this requester may still not read.

    A clinic admin who opened the record through emergency access may export it but never reads
    the patient's messages (apps/care/selectors.py): the thread stays with the care team.
    """
    if thread_patients_for(user).filter(pk=patient.pk).exists():
        return []
    return ["messages"]
