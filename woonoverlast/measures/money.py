"""Amounts as the team writes them: € 2.500,00 (screens, messages, exports)."""

from decimal import Decimal


def format_euro(amount: Decimal | int | None) -> str:
    """€ 2.500,00: a dot between thousands, a comma before the cents; empty for None."""
    if amount is None:
        return ""
    text = f"{Decimal(amount):,.2f}"  # 2,500.00
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")
