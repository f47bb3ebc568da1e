from django import template

from woonoverlast.common.validation import today

register = template.Library()


@register.filter
def follow_up_state(on) -> str:
    """'overdue' before today, 'due' today, 'planned' later, '' without a date."""
    if not on:
        return ""
    now = today()
    if on < now:
        return "overdue"
    if on == now:
        return "due"
    return "planned"


@register.filter
def nl_date(value) -> str:
    """dd-mm-jjjj, the way the team writes dates."""
    return value.strftime("%d-%m-%Y") if value else ""
