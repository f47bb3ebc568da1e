from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "woonoverlast.cases"
    label = "cases"
    verbose_name = "Casussen"
