from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def widget_value(field: BoundField) -> str:
    """The field's value as its widget would write it in the input: a time as "07:30" for an
    ``<input type=time>``, a date as its widget's format; "" when there is none."""
    value = field.field.widget.format_value(field.value())
    return "" if value is None else str(value)
