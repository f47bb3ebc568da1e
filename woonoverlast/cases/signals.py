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

# Sent by services.cases_register_many inside its transaction, once per batch of cases it
# wrote: closed=[(case id, closing date, closing reason), ...] of the batch's closed cases,
# by=. A receiver writes what it keeps of them in bulk and returns {case id: [audit rows]}
# (audit.recorder.audit_row), which the import records right after each case's closing
# event, in the order the services would. The archiving app gives them their archive data.
cases_imported = Signal()

# Sent by services.case_reassign inside its transaction: case=, reassignment= (the stored
# Reassignment with its previous and new casemanager). Termijnbewaking sends the new
# casemanager a bericht.
case_reassigned = Signal()

# Sent by services.cases_anonymise inside its transaction: case_ids=, by=. The documents app
# removes the files of those cases' dossiers.
cases_anonymised = Signal()
