from django.apps import AppConfig


class OverlegConfig(AppConfig):
    """Casusoverleg: hard cases discussed with ketenpartners under a convenant, the afspraken
    made there, the partners' own pages and the register of what was shared (verstrekkingen)."""

    name = "woonoverlast.overleg"
    label = "overleg"
    verbose_name = "Casusoverleg"

    def ready(self):
        from woonoverlast.cases.demo import register_demo_part

        from . import signals  # noqa: F401

        def demo_part(demo):
            from .demo import demo_part

            return demo_part(demo)

        register_demo_part("overleg", demo_part)
