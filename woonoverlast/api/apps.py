from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "woonoverlast.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from . import authentication  # noqa: F401  (registers the schema extension of Token)
