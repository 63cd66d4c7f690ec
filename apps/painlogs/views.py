from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.audit.services import access_note
from apps.common.decorators import patient_required
from apps.common.forms import form_submit
from apps.programs.selectors import bands_in_force

from .forms import ActivityForm, FollowupForm, SorenessForm
from .rules import followup_opens_at
from .selectors import (
    activities_for,
    patient_today,
    weekly_activity,
    workouts_for,
    workouts_with_results,
)
from .services import (
    FOLLOWUP_HOURS,
    activity_log,
    activity_soreness_record,
    followup_record,
)

# Patients see what changed in their program, and why, for this many days.
CHANGES_DAYS = 14

LIGHT_WORDS = {
    "green": "Green: great work.",
    "yellow": "Yellow: acceptable. Keep within your limit.",
    "red": "Red: that was too much. Ease off next time and tell your clinician if it persists.",
}


@patient_required
def followup(request, pk):
    workout = get_object_or_404(workouts_for(request.user), pk=pk)
    access_note(request, [workout.patient_id])
    # the bands the session was judged under
    form = FollowupForm(request.POST or None, bands=(workout.green_max, workout.pain_ceiling))
    rated = form_submit(
        request,
        form,
        lambda data: followup_record(
            user=request.user, workout=workout, pain=data["followup_pain"]
        ),
    )
    if rated:
        messages.success(request, f"24-hour rating saved. {LIGHT_WORDS[rated.light]}")
        return redirect("painlogs:today")
    opens = followup_opens_at(workout.performed_at, hours=FOLLOWUP_HOURS)
    context = {
        "form": form,
        "workout": workout,
        "opens": opens,
        "is_open": timezone.now() >= opens,
    }
    return render(request, "painlogs/followup.html", context)


@patient_required
def history(request):
    patient = request.user.patient_profile
    access_note(request, [patient.pk])
    return render(
        request,
        "painlogs/history.html",
        {
            "patient": patient,
            "workouts": workouts_with_results(patient)[:60],
            "activities": patient.activities.all()[:60],
            "activity_weeks": weekly_activity(
                patient, today=patient_today(patient, timezone.now()), weeks=4
            ),
        },
    )


@patient_required
def activity_new(request):
    bands = bands_in_force(request.user.patient_profile)
    form = ActivityForm(request.POST or None, bands=bands)
    activity = form_submit(
        request,
        form,
        lambda data: activity_log(user=request.user, **data),
        rate_limit="writes",
    )
    if activity:
        messages.success(
            request, f"{activity.get_kind_display()} logged. {LIGHT_WORDS[activity.light]}"
        )
        return redirect("painlogs:history")
    return render(request, "painlogs/activity_form.html", {"form": form})


@patient_required
def activity_soreness(request, pk):
    activity = get_object_or_404(activities_for(request.user), pk=pk)
    access_note(request, [activity.patient_id])
    form = SorenessForm(request.POST or None, bands=(activity.green_max, activity.pain_ceiling))
    saved = form_submit(
        request,
        form,
        lambda data: activity_soreness_record(
            user=request.user, activity=activity, soreness=data["next_day_soreness"]
        ),
    )
    if saved:
        messages.success(request, "Next-day soreness saved.")
        return redirect("painlogs:today")
    return render(request, "painlogs/soreness.html", {"form": form, "activity": activity})
