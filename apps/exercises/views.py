from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from apps.common.decorators import clinician_required
from apps.common.forms import form_submit
from apps.media.forms import MediaForm
from apps.media.selectors import exercise_media

from .forms import ExerciseForm, LibraryFilterForm
from .selectors import exercise_filter, exercises_for, progressions
from .services import exercise_create


@clinician_required
def library(request):
    all_progressions = list(progressions())
    filters = LibraryFilterForm(request.GET or None, progressions=all_progressions)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    exercises = exercise_filter(
        exercises_for(request.user),
        progression=chosen.get("progression", ""),
        region=chosen.get("region", ""),
        query=chosen.get("q", ""),
    )
    return render(request, "exercises/library.html", {"filters": filters, "exercises": exercises})


@login_required
def exercise_detail(request, pk):
    exercise = get_object_or_404(exercises_for(request.user), pk=pk)
    context = {
        "exercise": exercise,
        "media": exercise_media(user=request.user, exercise=exercise),
        "media_form": MediaForm() if request.user.is_clinician else None,
    }
    return render(request, "exercises/detail.html", context)


@clinician_required
def exercise_new(request):
    form = ExerciseForm(request.POST or None)
    exercise = form_submit(
        request, form, lambda data: exercise_create(clinician=request.user, **data)
    )
    if exercise:
        messages.success(request, f"“{exercise.name}” is in your clinic's library.")
        return redirect("exercises:library")
    return render(request, "exercises/form.html", {"form": form})
