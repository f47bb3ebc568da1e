"""Signals of the case domain, for apps that react to a case's life without the case
services knowing them (the intake tells melders when their case is closed)."""

from django.dispatch import Signal

# Sent by services.case_close inside its transaction: case=, status_change=.
case_closed = Signal()

# Sent inside the transaction of every change of a case's status or status history (closing,
# reopening, a corrected date, a withdrawn change): case=, with `status`/`closed_on` current.
# The archiving app gives a closed case its resultaat and archive dates and clears them on
# reopening.
case_status_changed = Signal()
