"""Signals of the case domain, for apps that react to a case's life without the case
services knowing them (the intake tells melders when their case is closed)."""

from django.dispatch import Signal

# Sent by services.case_close inside its transaction: case=, status_change=.
case_closed = Signal()
