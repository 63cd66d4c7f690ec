from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import MESSAGE_MAX_LENGTH, EducationCard, VisitNote


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a message before sending."},
    )


class VisitNoteForm(forms.Form):
    visit_date = forms.DateField(
        label="Date", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    kind = forms.ChoiceField(choices=VisitNote.Kind.choices, label="Kind")
    text = forms.CharField(label="Note", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    manual_therapy = forms.MultipleChoiceField(
        choices=VisitNote.ManualTherapy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Manual therapy done in clinic",
    )
    next_visit_date = forms.DateField(
        required=False,
        label="Next visit (optional)",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].initial = timezone.localdate()

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        visit, following = data.get("visit_date"), data.get("next_visit_date")
        if visit and following and following < visit:
            self.add_error("next_visit_date", "The next visit must be on or after this visit.")
        return data


class CardChoiceField(forms.ModelMultipleChoiceField):
    """Ids that are not ids at all (“x”, 20 digits) are an invalid choice, never a crash."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdecimal()) or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private; not in the stubs


class ProgramCardsForm(forms.Form):
    cards = CardChoiceField(
        queryset=EducationCard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Cards for this patient to read",
    )

    def __init__(self, *args, cards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["cards"]).queryset = cards


class EducationCardForm(forms.ModelForm):
    class Meta:
        model = EducationCard
        fields = ["title", "topic", "summary", "body", "reading_minutes"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        labels = {"reading_minutes": "Minutes to read"}
