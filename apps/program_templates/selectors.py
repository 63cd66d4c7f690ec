from django.db.models import Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.programs.models import Program
from apps.programs.selectors import editable_programs_for

from .models import ProgramTemplate, TemplateItem

_ITEMS = Prefetch(
    "items",
    queryset=TemplateItem.objects.select_related("exercise", "exercise__progression"),
)


def templates_for(user: User) -> QuerySet[ProgramTemplate]:
    """The starter templates and the user's clinic's own; other clinics' stay hidden."""
    if not user.is_authenticated or not user.is_clinician:
        return ProgramTemplate.objects.none()
    own = Q(clinic_id=user.clinic_id) if user.clinic_id else Q(pk__in=[])
    return ProgramTemplate.objects.filter(Q(clinic__isnull=True) | own).prefetch_related(
        _ITEMS, "cards"
    )


def editable_templates_for(user: User) -> QuerySet[ProgramTemplate]:
    """Only a clinic's own templates change; the starter ones are read-only for everyone."""
    return templates_for(user).filter(clinic__isnull=False)


def recent_programs_for(user: User, *, limit: int = 10) -> QuerySet[Program]:
    """Programs the clinician may copy from: those of their own patients, newest first."""
    return editable_programs_for(user).prefetch_related(None).order_by("-created_at")[:limit]
