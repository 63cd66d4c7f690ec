from typing import Any, cast

from django import forms

from .models import Caution, DoseKind, Region


class ExerciseForm(forms.Form):
    name = forms.CharField(max_length=150)
    region = forms.ChoiceField(choices=Region.choices)
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="2–4 plain sentences a patient can follow at home.",
    )
    dose_kind = forms.ChoiceField(choices=DoseKind.choices, label="Dose counted as")
    default_sets = forms.IntegerField(min_value=1, max_value=10, initial=3, label="Sets")
    default_target_low = forms.IntegerField(
        min_value=1, max_value=600, initial=8, label="Range: low (reps, seconds or minutes)"
    )
    default_target_high = forms.IntegerField(
        min_value=1, max_value=600, initial=10, label="Range: high"
    )
    default_rep_hold_seconds = forms.IntegerField(
        min_value=1, max_value=60, required=False, label="Hold at the top of each rep (s)"
    )
    cautions = forms.MultipleChoiceField(
        choices=Caution.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        low, high = data.get("default_target_low"), data.get("default_target_high")
        if low and high and low > high:
            self.add_error("default_target_high", "The high end must be at least the low end.")
        return data


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"type": "search"})
    )
    progression = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False, choices=[("", "All regions"), *Region.choices])

    def __init__(self, *args, progressions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["progression"]).choices = [
            ("", "All progressions"),
            *[(p.slug, p.name) for p in progressions],
            ("own", "Our clinic's exercises"),
        ]
