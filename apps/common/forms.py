from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .ratelimit import TOO_OFTEN, user_rate_limited
from .timezones import timezone_groups, validate_timezone


def form_errors_from(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class TimezoneSelect(forms.Select):
    """The IANA zones grouped by region, with readable names and today's offsets.

    static/js/timezone_picker.js adds a box that filters the list and, where the form sets
    ``data-browser-default``, chooses the browser's own zone.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-timezone-picker": "", **(attrs or {})})

    def optgroups(self, name: str, value: list[str], attrs: Any = None) -> Any:
        # Offsets change with daylight saving time: the list is made on each render.
        self.choices = timezone_groups(timezone.now(), keep=value[0] if value else "")
        return super().optgroups(name, value, attrs)


class TimezoneField(forms.CharField):
    """Any IANA name the server knows, as before; the picker offers the current ones."""

    widget = TimezoneSelect
    default_validators = [validate_timezone]

    def prefer_browser_zone(self) -> None:
        self.widget.attrs["data-browser-default"] = ""


class PainScaleWidget(forms.RadioSelect):
    """0–10 as a row of large buttons: quicker than typing on a phone, and keyboard-navigable.

    Each button is coloured by the bands in force for the patient (``bands``: green up to
    ``green_max``, yellow up to the ceiling, red above), set by the form from the patient's
    status; the clinic-wide defaults until then.
    """

    template_name = "widgets/pain_scale.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = settings.GREENLIGHT
        self.bands = (defaults["DEFAULT_GREEN_MAX"], defaults["DEFAULT_PAIN_CEILING"])

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["green_max"], context["widget"]["ceiling"] = self.bands
        return context


class PainBandsMixin:
    """A form with pain scales takes ``bands=(green_max, ceiling)``: the patient's, in force."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, bands: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bands = bands
        self.pain_bands_apply()

    def pain_bands_apply(self) -> None:
        """Colour every pain scale by the bands (call again after adding fields)."""
        for field in self.fields.values():
            if self.bands and isinstance(field.widget, PainScaleWidget):
                field.widget.bands = self.bands


def pain_field(label: str, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        required=required,
        empty_value=None,
        widget=PainScaleWidget,
        help_text=help_text or "0 = no pain, 10 = worst imaginable.",
        error_messages={"invalid_choice": "Choose a pain rating from 0 to 10."},
    )


def form_submit(request, form: forms.BaseForm, action, *, rate_limit: str | None = None):
    """Run ``action(cleaned_data)`` for a valid POSTed form; a service's errors land on the form.

    ``rate_limit`` names the user's limit this write counts against ("writes", "invitations").
    Returns the action's result, or None when the page should be shown again (GET, invalid
    input, too many writes, or a refused write), with everything the user typed still in the form.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    if rate_limit and user_rate_limited(rate_limit, request.user):
        form.add_error(None, TOO_OFTEN)
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        form_errors_from(form, error)
        return None
