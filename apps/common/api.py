from typing import TYPE_CHECKING, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import exception_handler as drf_exception_handler

if TYPE_CHECKING:
    from apps.accounts.models import User


def request_user(request: Request) -> "User":
    """The user of an API request, as the selectors take it: they scope an anonymous one to
    nothing, and every view requires sign-in anyway."""
    return cast("User", request.user)


def is_api_request(request) -> bool:
    """Under /api/ clients parse JSON, and every answer may hold patient data."""
    return request.path_info.startswith("/api/")


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers 400 with field messages.

    The body keeps DRF's stable shape: ``{"field": ["message"], "non_field_errors": [...]}``.
    """
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "07:30",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the person's own zone ("07:30"), so no UTC offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class StrictCharField(serializers.CharField):
    """Text only: DRF's CharField would quietly turn 0 or 1.5 into "0" and "1.5"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFilterSet(django_filters.FilterSet):
    """A filter sent with an empty value is an error, not a silent "no filter"."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            if len(values) > 1:
                self.form.add_error(name, "Give this filter once.")
                valid = False
            elif name in self.data and self.data.get(name) == "":
                self.form.add_error(name, "This filter may not be empty.")
                valid = False
        return valid


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class SlugFilter(django_filters.CharFilter):
    """A slug filter that enforces the pattern it documents."""

    field_class = forms.SlugField


# The largest id a bigint column holds; anything beyond is refused before reaching the database.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A whole-number id filter, bounded so that a huge value is a 400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictPageNumberPagination(PageNumberPagination):
    """``?page=`` with no number is a 400, as the schema documents an integer."""

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param, None) == "":
            raise exceptions.ValidationError({self.page_query_param: ["Give a page number."]})
        return super().paginate_queryset(queryset, request, view)
