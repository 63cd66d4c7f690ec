from datetime import timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.models import User

from .models import Patient


def patients_for(user: User) -> QuerySet[Patient]:
    """Every patient ``user`` may see (default deny).

    A clinician sees the patients whose care team they are on; a clinic admin sees every patient
    of the clinic (to staff care teams); a patient sees only themselves.
    """
    if not user.is_authenticated:
        return Patient.objects.none()
    base = Patient.objects.select_related("user", "clinic")
    if user.is_clinic_admin:
        return base.filter(clinic_id=user.clinic_id)
    if user.is_clinician:
        return base.filter(clinic_id=user.clinic_id, care_team=user)
    if user.is_patient:
        return base.filter(user=user)
    return Patient.objects.none()


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


def attention_filter(now) -> Q:
    """Patients worth a look this week: a red session, or no workout, in the last 7 days.

    Used on a ``patient_roster`` queryset (it reads the roster's annotations).
    """
    week_ago = now - timedelta(days=7)
    return Q(reds_7d__gt=0) | Q(last_workout_at__lt=week_ago) | Q(last_workout_at__isnull=True)


def patient_roster(user: User, *, query: str = "", now) -> QuerySet[Patient]:
    """The clinician's patient list, each row annotated in the same query (no query per row)."""
    return roster_annotate(patient_search(clinician_patients(user), query), now=now)


def roster_annotate(patients: QuerySet[Patient], *, now) -> QuerySet[Patient]:
    from apps.painlogs.models import Workout
    from apps.programs.models import Program

    workouts = Workout.objects.filter(patient=OuterRef("pk"))
    latest = workouts.order_by("-performed_at")
    reds = (
        workouts.filter(light="red", performed_at__gte=now - timedelta(days=7))
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    program = Program.objects.filter(patient=OuterRef("pk"), status="active")
    return patients.annotate(
        last_workout_at=Subquery(latest.values("performed_at")[:1]),
        last_light=Subquery(latest.values("light")[:1]),
        reds_7d=Coalesce(Subquery(reds), 0),
        program_name=Subquery(program.values("name")[:1]),
        review_date=Subquery(program.values("review_date")[:1]),
    )
