from django import template
from django.templatetags.static import static

from ..illustrations import illustration_for

register = template.Library()


@register.simple_tag
def illustration_url(exercise) -> str:
    """The URL of an exercise's line drawing, or "" when it has none."""
    path = illustration_for(exercise)
    return static(path) if path else ""
