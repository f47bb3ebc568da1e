from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "woonoverlast.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self):
        from . import signals  # noqa: F401  (connects the log-in signal receivers)
