from django.utils.functional import SimpleLazyObject

from woonoverlast.accounts.roles import can_work_cases

from .models import Notification


def notifications(request):
    """`unread_notifications`: the number of unread berichten, for the header.

    Only for signed-in case workers (the only ones who get berichten); counted lazily, in one
    query, when a template shows it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_work_cases(user):
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.for_recipient(user).unread().count()
        )
    }
