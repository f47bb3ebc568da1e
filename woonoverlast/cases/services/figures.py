"""The version of the data every count of cases per year reads (Tabel 5.1 and its exports):
the cases' registration date, wijk and housing type and their status history.

Every service that writes one of those calls `case_figures_changed` in its own transaction:
registration (`case_register`, hence the screen, the API, the intake and the demo), the import
(`cases_register_many`), a correction of the registration date, wijk or housing type
(`case_update`), and every change of the status history (closing, reopening, a corrected
date, a withdrawn change). What reads the counts from a cache (reports.stored, and the team
leader's open cases per wijk and housing type in cases.team_counts) keys them by
`case_figures_version`, so a stored count is never older than the data it describes. Anything
else that changes those columns (a data migration, a script, the benchmark generator) must
call it too.

Writes that do not touch those columns (actions, parties, meldingen, reassignments, access
grants, the bewaartermijn's anonymisation, which blanks personal data only) leave it alone:
the tests (tests/test_reports_stored.py, tests/test_team_counts.py) compare the stored
counts with a fresh count after every write service, those included.
"""

import uuid

from django.db import models

from ..models import CaseFiguresVersion

# The one row (made by migration 0021; OpenCasesVersion's by 0024).
ROW = 1


def version_renew(model: type[models.Model]) -> None:
    """Give the one row of `model` (a token) a new version, in the caller's transaction. A new
    random token rather than a counter: a rolled-back write's token is never used again, so
    nothing counted inside that transaction can be taken for the data after a later write."""
    token = uuid.uuid4().hex
    if not model.objects.filter(pk=ROW).update(token=token):
        # The row is gone (a test's flush): make it again.
        model.objects.update_or_create(pk=ROW, defaults={"token": token})


def version_read(model: type[models.Model]) -> str:
    """The current token of `model`'s row (one primary-key read, on whichever database the
    router gives the caller); "" without the row."""
    return model.objects.filter(pk=ROW).values_list("token", flat=True).first() or ""


def case_figures_changed() -> None:
    """Give the figures a new version, in the caller's transaction."""
    version_renew(CaseFiguresVersion)


def case_figures_version() -> str:
    """The current version (one primary-key read, on whichever database the caller reads)."""
    return version_read(CaseFiguresVersion)
