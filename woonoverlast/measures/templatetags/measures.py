"""Template filters of the maatregelen."""

from django import template

from woonoverlast.measures.money import format_euro

register = template.Library()


@register.filter
def euro(value) -> str:
    """{{ step.amount|euro }}: € 2.500,00."""
    return format_euro(value)
