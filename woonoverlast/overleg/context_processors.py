from woonoverlast.accounts.roles import can_take_part_in_overleg, is_partner_account


def overleg(request):
    """`is_partner` (the header shows a ketenpartner only /partner/) and `can_use_overleg`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_partner": is_partner_account(user),
        "can_use_overleg": can_take_part_in_overleg(user),
    }
