from django.utils.functional import SimpleLazyObject

from woonoverlast.accounts.roles import can_handle_intake

from .models import IntakeMelding


def intake(request):
    """`intake_open_count`: meldingen waiting in the queue, for the header; one COUNT on the
    status index, run only when a template shows it, only for those who handle them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_handle_intake(user):
        return {}
    return {"intake_open_count": SimpleLazyObject(lambda: IntakeMelding.objects.open().count())}
