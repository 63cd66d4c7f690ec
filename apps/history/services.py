from datetime import datetime
from typing import Any

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pghistory.models import Context


def event_models() -> list[Any]:
    """Every event table of the change history (models pghistory makes at run time)."""
    return list(apps.get_app_config("history").get_models())


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, in a year that has none
        return moment.replace(year=moment.year - years, day=28)


@transaction.atomic
def history_prune(*, now: datetime | None = None) -> int:
    """Delete the events older than the retention period (``AUDIT_RETENTION_YEARS``).

    The only deletion the event tables allow: their append-only triggers are lifted for this
    transaction alone. Contexts no remaining event points at go too.
    """
    cutoff = _years_before(now or timezone.now(), settings.GREENLIGHT["AUDIT_RETENTION_YEARS"])
    event_tables = event_models()
    deleted = 0
    with pgtrigger.ignore(*(f"{model._meta.label}:append_only" for model in event_tables)):
        for model in event_tables:
            deleted += model.objects.filter(pgh_created_at__lt=cutoff).delete()[0]
    orphans = Context.objects.filter(updated_at__lt=cutoff)
    for model in event_tables:
        # NOT IN over a NULL would keep every context: only events with one count.
        referenced = model.objects.filter(pgh_context__isnull=False).values("pgh_context_id")
        orphans = orphans.exclude(id__in=referenced)
    orphans.delete()
    return deleted
