from decimal import Decimal

from django import forms
from django.utils import timezone

from apps.common.forms import PainBandsMixin, pain_field
from apps.exercises.rules import unit_label

from .models import Activity, SkipReason
from .services import ResultInput

# A patient may do an extra set beyond the prescription; more than that is likely a typo.
EXTRA_SETS = 1


def _set_count(item) -> int:
    """Boxes to offer: a run is one block of minutes; other exercises may get an extra set."""
    return 1 if item.exercise.is_run else item.sets + EXTRA_SETS


def _prescribed_values(item) -> list[int]:
    """The top of the dose, set by set: what "as prescribed" means."""
    return [item.target_high] * (1 if item.exercise.is_run else item.sets)


def _prescribed_text(item) -> str:
    unit = unit_label(item.dose_kind)
    if item.exercise.is_run:
        return f"{item.target_high} {unit}"
    return f"{item.sets} × {item.target_high} {unit}"


class ExerciseBlock:
    """The fields of one prescribed exercise, grouped for the template."""

    def __init__(self, form, item):
        self.item, self.prefix = item, f"ex{item.pk}"
        self.sets = [form[f"{self.prefix}_set{n}"] for n in range(1, _set_count(item) + 1)]
        self.is_run = item.exercise.is_run
        if self.is_run:
            self.distance = form[f"{self.prefix}_distance"]
            self.step_rate = form[f"{self.prefix}_step_rate"]
        self.as_prescribed = form[f"{self.prefix}_as_prescribed"]
        self.pain = form[f"{self.prefix}_pain"]
        self.skipped = form[f"{self.prefix}_skipped"]
        self.skip_reason = form[f"{self.prefix}_skip_reason"]
        self.note = form[f"{self.prefix}_note"]
        self.unit = unit_label(item.dose_kind)


class WorkoutLogForm(PainBandsMixin, forms.Form):
    """One form for the whole session: per exercise the sets done (or a skip), pain and a note."""

    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything to tell your clinician? (optional)",
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self._add_fields(item)
        self.pain_bands_apply()

    def _add_fields(self, item):
        prefix, unit = f"ex{item.pk}", unit_label(item.dose_kind)
        for n in range(1, _set_count(item) + 1):
            self.fields[f"{prefix}_set{n}"] = forms.IntegerField(
                label="Minutes run" if item.exercise.is_run else f"Set {n} ({unit})",
                required=False,
                min_value=0,
                max_value=1000,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "min_value": "A set can't be negative.",
                    "invalid": "Enter a whole number.",
                },
            )
        # Nothing is prefilled: what is saved is what the patient entered, or this explicit tick.
        self.fields[f"{prefix}_as_prescribed"] = forms.BooleanField(
            required=False, label=f"I did it as prescribed: {_prescribed_text(item)}"
        )
        if item.exercise.is_run:
            self._add_run_fields(prefix)
        self.fields[f"{prefix}_pain"] = pain_field("Pain during this exercise", required=False)
        self.fields[f"{prefix}_skipped"] = forms.BooleanField(
            required=False, label="I skipped this one"
        )
        self.fields[f"{prefix}_skip_reason"] = forms.ChoiceField(
            required=False, label="Why?", choices=[("", "Choose a reason"), *SkipReason.choices]
        )
        self.fields[f"{prefix}_note"] = forms.CharField(
            required=False, max_length=500, label="Note (optional)"
        )

    def _add_run_fields(self, prefix):
        self.fields[f"{prefix}_distance"] = forms.DecimalField(
            required=False,
            min_value=Decimal("0.01"),
            max_value=200,
            decimal_places=2,
            label="Distance in km (optional)",
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            error_messages={"max_decimal_places": "Use at most 2 decimals, e.g. 4.25."},
        )
        self.fields[f"{prefix}_step_rate"] = forms.IntegerField(
            required=False,
            min_value=100,
            max_value=250,
            label="Step rate, steps per minute (optional)",
            help_text="From your watch, or count your steps for 30 seconds and double it.",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )

    def blocks(self) -> list[ExerciseBlock]:
        return [ExerciseBlock(self, item) for item in self.items]

    def clean(self):
        data = super().clean()
        for item in self.items:
            self._clean_item(item, data)
        return data

    def _clean_item(self, item, data):
        prefix = f"ex{item.pk}"
        if data.get(f"{prefix}_skipped"):
            if not data.get(f"{prefix}_skip_reason"):
                self.add_error(f"{prefix}_skip_reason", "Tell your clinician why you skipped it.")
            return
        if not self._set_values(item, data) and f"{prefix}_set1" not in self.errors:
            self.add_error(
                f"{prefix}_set1",
                "Enter what you did, tick “as prescribed”, or tick “I skipped this one”.",
            )
        if data.get(f"{prefix}_pain") is None and f"{prefix}_pain" not in self.errors:
            self.add_error(f"{prefix}_pain", "Rate your pain during this exercise (0–10).")

    def _set_values(self, item, data) -> list[int]:
        keys = [f"ex{item.pk}_set{n}" for n in range(1, _set_count(item) + 1)]
        typed = [data[k] for k in keys if data.get(k) is not None]
        if typed or not data.get(f"ex{item.pk}_as_prescribed"):
            return typed  # what was typed wins over the tick
        return _prescribed_values(item)

    def results(self) -> list[ResultInput]:
        data = self.cleaned_data
        return [
            ResultInput(
                prescribed=item,
                set_values=self._set_values(item, data),
                pain_during=data.get(f"ex{item.pk}_pain"),
                skipped=bool(data.get(f"ex{item.pk}_skipped")),
                skip_reason=data.get(f"ex{item.pk}_skip_reason", ""),
                note=data.get(f"ex{item.pk}_note", ""),
                distance_km=data.get(f"ex{item.pk}_distance"),
                step_rate=data.get(f"ex{item.pk}_step_rate"),
            )
            for item in self.items
        ]


class FollowupForm(PainBandsMixin, forms.Form):
    followup_pain = pain_field("How much does it hurt now, 24 hours after your workout?")


class ActivityForm(PainBandsMixin, forms.Form):
    kind = forms.ChoiceField(choices=Activity.Kind.choices, label="Activity")
    description = forms.CharField(
        max_length=200,
        required=False,
        label="Details (optional)",
        widget=forms.TextInput(attrs={"placeholder": "e.g. commute to work"}),
    )
    date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=1440,
        label="Duration (minutes)",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pain_during = pain_field("Pain during the activity")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class SorenessForm(PainBandsMixin, forms.Form):
    next_day_soreness = pain_field("How sore is your hip the day after?")
