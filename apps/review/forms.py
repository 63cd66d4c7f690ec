from typing import cast

from django import forms


class TriageFilterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[("attention", "Needs attention"), ("all", "All patients")],
        required=False,
        label="Show",
    )
    clinician = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Care team of"
    )
    q = forms.CharField(
        required=False,
        label="Name",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Patient's name"}),
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["clinician"])
        field.choices = [("", "Anyone")] + [(c.pk, c.full_name) for c in colleagues]


class TrendRangeForm(forms.Form):
    DEFAULT_WEEKS = 12
    weeks = forms.TypedChoiceField(
        coerce=int,
        choices=[(4, "4 weeks"), (8, "8 weeks"), (12, "12 weeks"), (26, "26 weeks")],
        initial=DEFAULT_WEEKS,
        label="Show the last",
    )
