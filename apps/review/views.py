from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.audit.models import AccessGrant
from apps.audit.services import access_note
from apps.care.selectors import (
    cards_unread,
    next_visit,
    patient_timeline,
    program_cards,
    thread_patients_for,
    unread_messages,
)
from apps.common.decorators import clinician_required, patient_required
from apps.common.forms import form_submit
from apps.media.selectors import media_by_prescription
from apps.outcomes.charts import outcome_chart_data
from apps.outcomes.questions import questions
from apps.outcomes.selectors import outcome_series, responses_to_answer
from apps.outcomes.services import questionnaires_due_open
from apps.painlogs.forms import WorkoutLogForm
from apps.painlogs.selectors import (
    activities_awaiting_soreness,
    followups_pending,
    pain_trend,
    patient_today,
    weekly_activity,
    workouts_with_results,
)
from apps.painlogs.services import workout_log
from apps.painlogs.views import CHANGES_DAYS as PATIENT_CHANGES_DAYS
from apps.painlogs.views import LIGHT_WORDS
from apps.patients.forms import PatientSearchForm
from apps.patients.selectors import clinic_directory, clinician_patients, patients_for
from apps.programs.selectors import (
    active_program,
    last_ended_program,
    program_history,
    program_suggestions,
    recent_changes,
)
from apps.reminders.models import Job
from apps.reminders.selectors import failed_emails_for, failed_jobs_for

from .forms import TrendRangeForm, TriageFilterForm
from .selectors import (
    TriageFilter,
    care_team_colleagues,
    patient_roster,
    statuses_of,
    triage_counts,
    triage_page,
)
from .trend import trend_chart_data, weekly_trend

TREND_DAYS = 42
RECENT_WORKOUTS = 10
CHANGES_DAYS = 28


@clinician_required
def triage(request):
    """The clinician's patients by need of attention, from their stored status, 50 a page."""
    form = TriageFilterForm(request.GET or None, colleagues=care_team_colleagues(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = TriageFilter(
        show=data.get("show") or "attention",
        clinician_id=data.get("clinician"),
        query=(data.get("q") or "").strip(),
    )
    counts = triage_counts(request.user)
    page = triage_page(request.user, filters, page=request.GET.get("page") or 1, counts=counts)
    access_note(request, [p.pk for p in page])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "filters": filters,
        "counts": counts,
        "query": query.urlencode(),
    }
    return render(request, "review/triage.html", context)


@clinician_required
def patient_list(request):
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    attention = request.GET.get("attention") == "1"
    patients = list(patient_roster(request.user, query=query, attention=attention))
    access_note(request, [p.pk for p in patients])
    return render(
        request,
        "patients/list.html",
        {"patients": patients, "search": search, "query": query, "attention": attention},
    )


@clinician_required
def patient_detail(request, pk):
    patient = clinician_patients(request.user).filter(pk=pk).first()
    if patient is None:
        # A clinic admin may open the record of another care team's patient, with a reason.
        if clinic_directory(request.user).filter(pk=pk).exists():
            return redirect("audit:emergency_access", pk=pk)
        raise Http404("No patient here.")
    access_note(request, [patient.pk])
    status = statuses_of([patient])[patient.pk]
    today = status.local_date
    program = active_program(patient)
    context = {
        "patient": patient,
        "program": program,
        "suggestions": program_suggestions(program) if program else [],
        "changes": recent_changes(patient, since=timezone.now() - timedelta(days=CHANGES_DAYS)),
        "history": program_history(patient),
        "workouts": workouts_with_results(patient)[:RECENT_WORKOUTS],
        "activities": patient.activities.all()[:10],
        "trend": pain_trend(patient, since=today - timedelta(days=TREND_DAYS - 1)),
        **_outcomes_context(request.user, patient),
        "status": status,
        "today": today,
        "activity_weeks": weekly_activity(patient, today=today, weeks=4),
        **_care_context(request.user, patient, program, today),
        "emergency_grant": _emergency_grant(request.user, patient),
        # Nothing is dropped silently: what could not be delivered is shown, and can be retried.
        "failed_emails": failed_emails_for(request.user).filter(patient=patient)[:20],
        "failed_checks": failed_jobs_for(request.user)
        .filter(patient=patient)
        .exclude(kind__in=Job.EMAIL_KINDS)[:20],
        "failed_invitation": failed_jobs_for(request.user)
        .filter(patient=patient, kind=Job.Kind.INVITATION_EMAIL)
        .first(),
    }
    return render(request, "patients/detail.html", context)


def _outcomes_context(user, patient) -> dict:
    """Questionnaire scores over time, as charts and as text (the charts' alternative)."""
    series = outcome_series(user, patient)
    return {"outcomes": series, "outcome_charts": outcome_chart_data(series)}


def _care_context(user, patient, program, today) -> dict:
    """The conversation side of the patient page: thread, cards, visits and the timeline."""
    in_thread = thread_patients_for(user).filter(pk=patient.pk).exists()
    return {
        "in_thread": in_thread,
        "unread_messages": unread_messages(user=user, patient=patient).count() if in_thread else 0,
        "cards": program_cards(program) if program else [],
        "next_visit": next_visit(patient, today=today),
        "timeline": patient_timeline(patient) if in_thread else [],
    }


def _questionnaire_cards(patient) -> list[dict]:
    cards = []
    for response in responses_to_answer(patient):
        asked = questions(response.questionnaire.definition)
        answered = sum(1 for q in asked if response.answers.get(q.link_id) not in (None, ""))
        cards.append({"response": response, "answered": answered, "count": len(asked)})
    return cards


@login_required
def patient_trend(request, pk):
    """Week by week: pain, sessions, training volume, activities and level changes."""
    patient = get_object_or_404(patients_for(request.user), pk=pk)
    access_note(request, [patient.pk])
    form = TrendRangeForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else TrendRangeForm.DEFAULT_WEEKS
    rows = weekly_trend(patient, today=patient_today(patient, timezone.now()), weeks=weeks)
    outcomes = outcome_series(request.user, patient)
    ceiling = statuses_of([patient])[patient.pk].pain_ceiling
    context = {
        "patient": patient,
        "form": form,
        "weeks": rows,
        "weeks_count": weeks,
        "chart": trend_chart_data(rows, ceiling=ceiling, outcomes=outcomes),
        "outcome_charts": outcome_chart_data(outcomes),
        "own": request.user.is_patient,
        "has_timed": any(week.timed_minutes for week in rows),
        "activities": [a for week in reversed(rows) for a in reversed(week.activities)],
        "changes": [c for week in reversed(rows) for c in reversed(week.changes)],
    }
    return render(request, "patients/trend.html", context)


def _emergency_grant(user, patient):
    """The admin's open break-glass grant this page is seen through, or None (no query for a
    clinician)."""
    if not user.is_clinic_admin:
        return None
    return AccessGrant.objects.active().filter(user=user, patient=patient).first()


@patient_required
def today(request):
    """The patient's page for the day: their program to log, and where they stand this week."""
    patient = request.user.patient_profile
    access_note(request, [patient.pk])
    now = timezone.now()
    status = statuses_of([patient])[patient.pk]
    program = active_program(patient)
    items = list(program.items.all()) if program else []
    bands = (status.green_max, status.pain_ceiling)
    form = WorkoutLogForm(request.POST or None, items=items, bands=bands)
    workout = form_submit(
        request,
        form,
        lambda data: workout_log(user=request.user, results=form.results(), note=data["note"]),
        rate_limit="writes",
    )
    if workout:
        messages.success(
            request,
            f"Workout logged. {LIGHT_WORDS[workout.light]} We'll ask "
            "how your hip feels in 24 hours.",
        )
        return redirect("painlogs:today")
    local_today = patient_today(patient, now)
    questionnaires_due_open(patient, local_today)
    media = media_by_prescription(patient, items)
    for item in items:
        # The card shows the photos and videos of its own prescription, then the clinic's.
        item.shown_media = media[item.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "painlogs/today.html",
        {
            "patient": patient,
            "program": program,
            "form": form,
            "blocks": form.blocks(),
            "followups": followups_pending(patient, now),
            "done_today": patient.workouts.filter(local_date=local_today),
            "soreness_due": activities_awaiting_soreness(patient, local_today),
            "today": local_today,
            # Only the current program's level changes: an ended one has nothing to celebrate.
            "changes": recent_changes(
                patient, since=now - timedelta(days=PATIENT_CHANGES_DAYS)
            ).filter(prescribed__program=program)
            if program
            else [],
            "ended": None if program else last_ended_program(patient),
            "cards": cards_unread(patient),
            "questionnaires": _questionnaire_cards(patient),
            "next_visit": next_visit(patient, today=local_today),
            "this_week": status.this_week,
            "status": status,
        },
    )
