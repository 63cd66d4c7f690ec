from itertools import groupby
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.templatetags.static import static

from apps.exercises.illustrations import illustration_for
from apps.exercises.models import Region
from apps.exercises.rules import format_dose, unit_label
from apps.exercises.selectors import caution_conflicts

from .rules import GateError, OutcomeGate
from .services import ItemInput, prescription_caution_check


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=120, initial="Home program")
    sessions_per_week = forms.IntegerField(min_value=1, max_value=14, initial=3)
    start_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    review_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    pain_ceiling = forms.IntegerField(
        min_value=0,
        max_value=10,
        initial=3,
        label="Pain ceiling (0–10)",
        help_text="Pain during or 24 h after above this is red. Default 3/10.",
    )
    green_max = forms.IntegerField(
        min_value=0,
        max_value=10,
        initial=2,
        label="Green up to",
        help_text="Pain at or below this is green; up to the ceiling is yellow.",
    )

    # The cross-field rules (review after start, green within the ceiling) are the service's
    # (apps/programs/services.py): its messages land on these fields through form_submit.


def exercise_choices(exercises) -> list:
    """Exercises grouped by progression for an <optgroup> select, easiest level first."""

    def group(e):
        return e.progression.name if e.progression else "Our clinic's exercises"

    rows = sorted(
        exercises,
        key=lambda e: (
            e.progression is None,
            e.progression.order if e.progression else 0,
            e.level or 0,
            e.name,
        ),
    )
    return [("", "Choose an exercise…")] + [
        (name, [(e.pk, f"{e.level}. {e.name}" if e.level else e.name) for e in items])
        for name, items in groupby(rows, key=group)
    ]


class PrescribedItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The row's legend already says "Exercise n": the select says what it asks for.
    exercise = forms.TypedChoiceField(
        coerce=int, label="Which exercise", widget=forms.Select(attrs={"class": "form-select"})
    )
    sets = forms.IntegerField(min_value=1, max_value=10, required=False)
    target_low = forms.IntegerField(min_value=1, max_value=600, required=False, label="From")
    target_high = forms.IntegerField(min_value=1, max_value=600, required=False, label="To")
    rep_hold_seconds = forms.IntegerField(
        min_value=1, max_value=60, required=False, label="Hold (s)"
    )
    notes = forms.CharField(max_length=300, required=False, label="Notes for the patient")
    caution_acknowledged = forms.BooleanField(
        required=False, label="I have considered this caution"
    )
    baseline_step_rate = forms.IntegerField(
        min_value=100,
        max_value=250,
        required=False,
        label="Preferred step rate (steps/min)",
        help_text="Measured at the runner's easy pace.",
    )
    target_step_rate = forms.IntegerField(
        min_value=100,
        max_value=250,
        required=False,
        label="Target step rate (steps/min)",
        help_text="Leave blank for 10 % above the preferred rate.",
    )
    # Runs only: a questionnaire score the next stage needs (apps/programs/rules.py, OutcomeGate).
    gate = forms.ChoiceField(
        required=False,
        label="Before the next stage",
        choices=[
            ("", "No questionnaire criterion"),
            ("hip-rating:at_least", "Hip rating at least (%)"),
            ("psfs:improved_by", "PSFS improved since the first by at least"),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    gate_value = forms.FloatField(
        required=False, min_value=0.1, max_value=100, label="Score the next stage needs"
    )

    def __init__(self, *args, exercises, patient, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.initial.get("outcome_gate")
        if isinstance(stored, dict) and {"instrument", "kind", "value"} <= set(stored):
            self.initial["gate"] = f"{stored['instrument']}:{stored['kind']}"
            self.initial["gate_value"] = stored["value"]
        self.exercises = {e.pk: e for e in exercises}
        self.patient = patient
        cast(forms.ChoiceField, self.fields["exercise"]).choices = exercise_choices(exercises)
        self._range_labels_set()

    def _range_labels_set(self) -> None:
        """ "From"/"To" in the unit of the chosen exercise's dose; the script keeps them so."""
        exercise = self.chosen_exercise()
        unit = unit_label(exercise.dose_kind) if exercise else ""
        for name, label in (("target_low", "From"), ("target_high", "To")):
            self.fields[name].label = f"{label} ({unit})" if unit else label

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        exercise = self.exercises.get(data.get("exercise"))
        if exercise is None:
            return data
        if not exercise.is_run:
            # The step-rate boxes are hidden for other exercises: stale values there mean nothing.
            data["baseline_step_rate"] = data["target_step_rate"] = None
            data["gate"], data["gate_value"] = "", None
        self._gate_clean(data)
        low, high = data.get("target_low"), data.get("target_high")
        if low and high and low > high:
            self.add_error("target_high", "The high end must be at least the low end.")
        baseline, target = data.get("baseline_step_rate"), data.get("target_step_rate")
        if baseline and target and target < baseline:
            self.add_error(
                "target_step_rate",
                f"The target step rate should not be below the preferred rate ({baseline}): "
                "a quicker step is what eases the hip.",
            )
        try:
            prescription_caution_check(
                exercise=exercise,
                patient=self.patient,
                acknowledged=data.get("caution_acknowledged", False),
            )
        except ValidationError as error:
            self.add_error("caution_acknowledged", error.message_dict["caution_acknowledged"])
        return data

    def _gate_clean(self, data: dict[str, Any]) -> None:
        data["outcome_gate"] = None
        if not data.get("gate"):
            return
        instrument, kind = data["gate"].split(":")
        value = data.get("gate_value")
        if value is None:
            self.add_error("gate_value", "Give the score the next stage needs.")
            return
        try:
            gate = OutcomeGate.parse({"instrument": instrument, "kind": kind, "value": value})
        except GateError as error:
            self.add_error("gate_value", f"{str(error).capitalize()}.")
            return
        data["outcome_gate"] = gate.as_dict() if gate else None

    def chosen_exercise(self):
        """The exercise the row holds now (as submitted, else as prefilled), if any."""
        chosen = self["exercise"].value()
        try:
            return self.exercises.get(int(chosen)) if chosen not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def shows_step_rates(self) -> bool:
        """Whether the step-rate boxes start visible: the row is a run (the script keeps it so)."""
        exercise = self.chosen_exercise()
        return bool(exercise and exercise.is_run)

    def item(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            exercise=self.exercises[data["exercise"]],
            sets=data.get("sets"),
            target_low=data.get("target_low"),
            target_high=data.get("target_high"),
            rep_hold_seconds=data.get("rep_hold_seconds"),
            notes=data.get("notes", ""),
            caution_acknowledged=data.get("caution_acknowledged", False),
            id=data.get("id"),
            baseline_step_rate=data.get("baseline_step_rate"),
            target_step_rate=data.get("target_step_rate"),
            outcome_gate=data.get("outcome_gate"),
        )


class BaseItemFormSet(forms.BaseFormSet):
    def items(self) -> list[ItemInput]:
        return [
            form.item()
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("exercise")
            and not (self.can_delete and self._should_delete_form(form))  # type: ignore[attr-defined]
        ]

    def clean(self):
        if any(self.errors):
            return
        if not self.items():
            raise ValidationError("Add at least one exercise to the program.")


# The stubs type every factory-made formset as the plain BaseFormSet.
ItemFormSet = cast(
    type[BaseItemFormSet],
    forms.formset_factory(PrescribedItemForm, formset=BaseItemFormSet, extra=1, can_delete=True),
)


def _picker_text(e) -> dict:
    """What the builder's search shows of an exercise before it is picked, and matches on."""
    drawing = illustration_for(e)
    progression = e.progression.name if e.progression else "Our clinic's exercises"
    return {
        "name": e.name,
        "progression": progression,
        "level": e.level,
        "region": e.region,
        "region_label": Region(e.region).label if e.region in Region.values else e.region,
        "cautions": e.caution_labels(),
        "img": static(drawing) if drawing else "",
    }


def exercise_defaults(exercises, condition: str) -> dict:
    """What the builder's script prefills when an exercise is picked, and what its search shows."""
    return {
        str(e.pk): {
            **_picker_text(e),
            "sets": e.default_sets,
            "low": e.default_target_low,
            "high": e.default_target_high,
            "hold": e.default_rep_hold_seconds,
            "kind": e.dose_kind,
            "run": e.is_run,
            "dose": format_dose(
                e.dose_kind,
                e.default_sets,
                e.default_target_low,
                e.default_target_high,
                e.default_rep_hold_seconds,
            ),
            "caution": ", ".join(caution_conflicts(e, condition)),
            "unit": unit_label(e.dose_kind),
        }
        for e in exercises
    }


class ProgramEndForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why does this program end?",
        help_text="The patient reads this on their Today page and both of you see it on the "
        "timeline. For example: goals met, discharged; or paused while the hip is reassessed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the program ends: the patient reads it."},
    )
