from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """Idempotent create forms: a form page submitted twice stores once (see the module
    docstrings of this app)."""

    name = "woonoverlast.submissions"
    label = "submissions"
    verbose_name = "Formulierinzendingen"
