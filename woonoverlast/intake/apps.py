from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "woonoverlast.intake"
    label = "intake"
    verbose_name = "Binnengekomen meldingen"

    def ready(self):
        from woonoverlast.cases.demo import register_demo_part

        from . import signals  # noqa: F401  (connects the terugkoppeling on closing a case)

        def demo_part(demo):
            from .demo import demo_part

            return demo_part(demo)

        register_demo_part("intake", demo_part)
