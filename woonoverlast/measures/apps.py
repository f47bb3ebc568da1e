from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Maatregelen: the bestuurlijk traject (art. 151d and 174a Gemeentewet) with its deadlines."""

    name = "woonoverlast.measures"
    label = "measures"
    verbose_name = "Maatregelen"
