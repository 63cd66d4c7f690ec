from django import template

from apps.common.timezones import place_name

register = template.Library()


@register.filter
def zone_place(name: str) -> str:
    """An IANA zone as people read it, the name the time-zone picker gives it."""
    return place_name(name)
