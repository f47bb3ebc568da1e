from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "woonoverlast.intake"
    label = "intake"
    verbose_name = "Binnengekomen meldingen"

    def ready(self):
        from . import signals  # noqa: F401  (connects the terugkoppeling on closing a case)
