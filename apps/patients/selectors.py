from django.db.models import OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import User
from apps.audit.models import AccessGrant

from .models import Patient


def patients_for(user: User) -> QuerySet[Patient]:
    """Every patient ``user`` may see (default deny).

    A clinician sees the patients whose care team they are on; so does a clinic admin, plus the
    records they opened through emergency access while it lasts (``clinic_directory`` lists the
    clinic's patients without clinical data, to staff care teams); a patient sees only
    themselves.
    """
    if not user.is_authenticated:
        return Patient.objects.none()
    # An erased patient's record is kept for its retention, out of use (apps/records/erasure.py).
    base = Patient.objects.select_related("user", "clinic").filter(erased_at__isnull=True)
    if user.is_clinic_admin:
        # Their own care teams, and the records they opened with a reason (break-glass) until
        # the grant expires. The clinic's other patients they see only in the directory.
        on_team = Patient.care_team.through.objects.filter(user=user).values("patient_id")
        granted = AccessGrant.objects.active().filter(user=user).values("patient_id")
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        return base.filter(clinic_id=user.clinic_id).filter(Q(pk__in=on_team) | Q(pk__in=granted))  # type: ignore[misc]
    if user.is_clinician:
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        return base.filter(clinic_id=user.clinic_id, care_team=user)  # type: ignore[misc]
    if user.is_patient:
        return base.filter(user=user)
    return Patient.objects.none()


def clinic_directory(admin: User) -> QuerySet[Patient]:
    """Every patient of the admin's clinic, for staffing care teams: names and care teams only.

    Each carries ``open_until``, the end of the admin's open emergency access to it (or None).
    """
    if not admin.is_authenticated or not admin.is_clinic_admin:
        return Patient.objects.none()
    open_until = (
        AccessGrant.objects.active()
        .filter(user=admin, patient=OuterRef("pk"))
        .order_by("-expires_at")
        .values("expires_at")[:1]
    )
    return (
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        Patient.objects.filter(clinic_id=admin.clinic_id)  # type: ignore[misc]
        .select_related("user")
        .prefetch_related("care_team")
        .annotate(open_until=Subquery(open_until))
        .order_by("user__full_name", "pk")
    )


def clinician_patients(user: User) -> QuerySet[Patient]:
    """Patients as seen through clinician pages: nothing at all for a patient account."""
    if not user.is_authenticated or not user.is_clinician:
        return Patient.objects.none()
    return patients_for(user)


def patient_search(queryset: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    query = query.strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(user__full_name__icontains=query)
        | Q(user__email__icontains=query)
        | Q(diagnosis__icontains=query)
    )
