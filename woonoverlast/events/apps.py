from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "woonoverlast.events"
    label = "events"
    verbose_name = "Notificaties"

    def ready(self):
        from . import signals  # noqa: F401  (the notifications of audited changes)
