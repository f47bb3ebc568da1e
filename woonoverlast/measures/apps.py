from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Maatregelen: the bestuurlijk traject (art. 151d and 174a Gemeentewet) with its deadlines."""

    name = "woonoverlast.measures"
    label = "measures"
    verbose_name = "Maatregelen"

    def ready(self):
        from django.db.models import OuterRef

        from woonoverlast.cases.demo import register_demo_part
        from woonoverlast.cases.querysets import register_activity_source
        from woonoverlast.cases.sections import CASE_FILE, register_section
        from woonoverlast.cases.services.retention import register_personal_data
        from woonoverlast.common.calendar import register_equated_days

        from .models import EquatedDay, MeasureStep
        from .presentation import measure_cards

        # The maatregelen on the case file.
        register_section(
            CASE_FILE,
            "maatregelen",
            lambda user, case, *, today, calendar=None, **_: {
                "measure_cards": measure_cards(case, user=user, today=today, calendar=calendar)
            },
            template="measures/includes/case_measures.html",
            place="after_parties",
        )

        # Maatregelen in the demo set.
        def demo_part(demo):
            from .demo import demo_part

            return demo_part(demo)

        register_demo_part("maatregelen", demo_part)
        # A maatregel's step is activity on its case (Case.last_activity_on).
        register_activity_source(
            "maatregelstap",
            lambda: (
                MeasureStep.objects.filter(measure__case=OuterRef("pk"))
                .order_by("-occurred_on")
                .values("occurred_on")[:1]
            ),
        )
        # A maatregel's steps: the casemanager's notes and the reason for skipping a condition.
        register_personal_data(
            MeasureStep,
            case_field="measure__case",
            removed={field: "" for field in MeasureStep.PERSONAL_DATA_FIELDS},
        )

        # The gelijkgestelde dagen of art. 3 lid 3 Atw: the one calendar reads them from here.
        register_equated_days(lambda: EquatedDay.objects.values_list("day", flat=True))
