from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """Idempotent create forms: a form page submitted twice stores once (docs in
    /work/notes/casework-a-idempotency.md and the module docstrings)."""

    name = "woonoverlast.submissions"
    label = "submissions"
    verbose_name = "Formulierinzendingen"
