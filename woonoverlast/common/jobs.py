"""The states of a background job: one list for every model of a job that runs in a worker
(a Tabel 5.1 export, a document's PDF, a dossier's PDF). The stored values are Dutch (a closed
list, see docs/architecture.md); the page shows the label and polls until the job is
finished."""

from django.db import models


class JobState(models.TextChoices):
    NONE = "geen", "Niet gevraagd"
    PENDING = "wachtend", "In de wachtrij"
    RUNNING = "bezig", "Bezig"
    DONE = "klaar", "Klaar"
    FAILED = "mislukt", "Mislukt"
    # LibreOffice is not installed where the job ran: no PDF, and no point in trying again.
    UNAVAILABLE = "niet_beschikbaar", "Niet beschikbaar"


# Nothing will change any more without a new request.
FINISHED_STATES = (JobState.NONE, JobState.DONE, JobState.FAILED, JobState.UNAVAILABLE)


def job_state_choices(*states: JobState) -> list[tuple[str, str]]:
    """The choices of a job model that reaches only some of the states."""
    return [(state.value, state.label) for state in states]
