from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "woonoverlast.intake"
    label = "intake"
    verbose_name = "Binnengekomen meldingen"

    def ready(self):
        from woonoverlast.cases.demo import register_demo_part
        from woonoverlast.cases.querysets import register_file_prefetch
        from woonoverlast.cases.sections import CASE_FILE, register_section

        from . import signals  # noqa: F401  (connects the terugkoppeling on closing a case)

        # The case file: its melders and when each was last told something (terugkoppeling).
        register_file_prefetch("intake_meldingen", "intake_meldingen")
        register_section(
            CASE_FILE,
            "melders",
            template="intake/includes/case_reporters.html",
            place="before_timeline",
        )

        # A few binnengekomen meldingen in the demo set.
        def demo_part(demo):
            from .demo import demo_part

            return demo_part(demo)

        register_demo_part("intake", demo_part)
