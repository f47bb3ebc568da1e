from django.apps import AppConfig


class ArchivingConfig(AppConfig):
    name = "woonoverlast.archiving"
    label = "archiving"
    verbose_name = "Archivering"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
