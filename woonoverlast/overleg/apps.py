from django.apps import AppConfig


class OverlegConfig(AppConfig):
    """Casusoverleg: hard cases discussed with ketenpartners under a convenant, the afspraken
    made there, the partners' own pages and the register of what was shared (verstrekkingen)."""

    name = "woonoverlast.overleg"
    label = "overleg"
    verbose_name = "Casusoverleg"

    def ready(self):
        from . import signals  # noqa: F401
