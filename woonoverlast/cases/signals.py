"""Signals of the case domain, for apps that react to a case's life without the case
services knowing them (the intake tells melders when their case is closed, termijnbewaking
tells a new casemanager of a reassigned case)."""

from django.dispatch import Signal

# Sent by services.case_close inside its transaction: case=, status_change=.
case_closed = Signal()

# Sent inside the transaction of every change of a case's status or status history (closing,
# reopening, a corrected date, a withdrawn change): case=, with `status`/`closed_on` current.
# The archiving app gives a closed case its resultaat and archive dates and clears them on
# reopening.
case_status_changed = Signal()

# Sent by services.case_reassign inside its transaction: case=, reassignment= (the stored
# Reassignment with its previous and new casemanager). Termijnbewaking sends the new
# casemanager a bericht.
case_reassigned = Signal()

# Sent by services.cases_anonymise inside its transaction: case_ids=, by=. The documents app
# removes the files of those cases' dossiers.
cases_anonymised = Signal()
