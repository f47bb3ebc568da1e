from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Maatregelen: the bestuurlijk traject (art. 151d and 174a Gemeentewet) with its deadlines."""

    name = "woonoverlast.measures"
    label = "measures"
    verbose_name = "Maatregelen"

    def ready(self):
        from woonoverlast.common.calendar import register_equated_days

        from .models import EquatedDay

        # The gelijkgestelde dagen of art. 3 lid 3 Atw: the one calendar reads them from here.
        register_equated_days(lambda: EquatedDay.objects.values_list("day", flat=True))
