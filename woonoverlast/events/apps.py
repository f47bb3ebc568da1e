from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "woonoverlast.events"
    label = "events"
    verbose_name = "Notificaties"
