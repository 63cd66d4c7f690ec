"""The HTTP answers shared by the browser and the API: one streamed document, one summary."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from apps.audit.services import access_note
from apps.patients.models import Patient

from .export import SECTIONS, export_json_chunks, patient_profile, section_rows
from .selectors import withheld_sections
from .services import record_export_log

# Rows rendered per template call in the HTML summary: the page streams in pieces this size.
HTML_BATCH = 200
SECTIONS_MARK = "<!-- record sections -->"


def export_filename(patient: Patient, day) -> str:
    name = slugify(patient.user.full_name) or "patient"
    return f"greenlight-{name}-{day.isoformat()}.json"


def export_json_response(request, patient: Patient) -> StreamingHttpResponse:
    now = timezone.now()
    withheld = withheld_sections(user=request.user, patient=patient)
    record_export_log(user=request.user, patient=patient, fmt="json", at=now)
    access_note(request, [patient.pk])  # the access log records every export
    response = StreamingHttpResponse(
        export_json_chunks(patient, exported_at=now, withheld=withheld),
        content_type="application/json",
    )
    filename = export_filename(patient, timezone.localdate(now))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_summary_response(request, patient: Patient, *, json_url: str) -> StreamingHttpResponse:
    """The printable page: rendered whole around a mark, the sections streamed into it."""
    now = timezone.now()
    withheld = withheld_sections(user=request.user, patient=patient)
    record_export_log(user=request.user, patient=patient, fmt="html", at=now)
    access_note(request, [patient.pk])
    context = {
        "patient": patient,
        "profile": patient_profile(patient),
        "exported_at": now,
        "sections": SECTIONS,
        "withheld": withheld,
        "json_url": json_url,
        "sections_mark": SECTIONS_MARK,
        "own": request.user.is_patient,
    }
    page = render_to_string("records/summary.html", context, request=request)
    head, tail = page.split(SECTIONS_MARK, 1)
    return StreamingHttpResponse(
        _summary_chunks(head, tail, patient, withheld), content_type="text/html; charset=utf-8"
    )


def _summary_chunks(head: str, tail: str, patient: Patient, withheld: list[str]) -> Iterator[str]:
    yield head
    for section in SECTIONS:
        context = {"section": section, "withheld": section.key in withheld}
        yield render_to_string("records/section_start.html", context)
        count = 0
        for rows in _batches(section_rows(section, patient, withheld=withheld), HTML_BATCH):
            count += len(rows)
            yield render_to_string("records/rows.html", {"key": section.key, "rows": rows})
        yield render_to_string("records/section_end.html", {**context, "count": count})
    yield tail


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
