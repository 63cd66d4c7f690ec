from django import forms

from .instruments import INSTRUMENTS


class ScheduleForm(forms.Form):
    code = forms.ChoiceField(label="Questionnaire")
    at_start = forms.BooleanField(label="At the start of the program", required=False, initial=True)
    every_weeks = forms.IntegerField(
        label="Then every … weeks (leave empty to ask only once)",
        required=False,
        min_value=1,
        max_value=52,
    )
    at_discharge = forms.BooleanField(label="At discharge (when the program ends)", required=False)

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c, INSTRUMENTS[c].title) for c in codes]  # type: ignore[attr-defined]
