from django.db.models import Q, QuerySet

from apps.accounts.models import User

from .models import CONDITION_CAUTIONS, Caution, Exercise, Progression


def exercises_for(user: User) -> QuerySet[Exercise]:
    """The shared library plus the user's clinic's own exercises; other clinics' stay hidden."""
    if not user.is_authenticated:
        return Exercise.objects.none()
    own = Q(clinic_id=user.clinic_id) if user.clinic_id else Q(pk__in=[])
    return Exercise.objects.filter(Q(clinic__isnull=True) | own).select_related("progression")


def exercise_filter(
    queryset: QuerySet[Exercise], *, progression: str = "", region: str = "", query: str = ""
) -> QuerySet[Exercise]:
    if progression == "own":
        queryset = queryset.filter(clinic__isnull=False)
    elif progression:
        queryset = queryset.filter(progression__slug=progression)
    if region:
        queryset = queryset.filter(region=region)
    if query.strip():
        queryset = queryset.filter(name__icontains=query.strip())
    return queryset


def progressions() -> QuerySet[Progression]:
    return Progression.objects.all()


def caution_conflicts(exercise: Exercise, condition: str) -> list[str]:
    """Labels of the exercise's cautions that matter for this condition (e.g. FAI)."""
    flagged = CONDITION_CAUTIONS.get(condition, set())
    return [Caution(code).label for code in exercise.cautions if code in flagged]
