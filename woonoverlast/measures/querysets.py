"""Named reads of the maatregelen."""

from django.db import models
from django.db.models import Prefetch


class MeasureQuerySet(models.QuerySet):
    def running(self):
        """Measures without a terminal step (ingetrokken, afgelopen, beëindigd)."""
        return self.filter(ended_on__isnull=True)

    def with_steps(self):
        """With the case, its casemanager, the veroorzaker and all steps in order (each with
        the further addressee it names): two queries whatever the number of measures."""
        from .models import MeasureStep

        return self.select_related(
            "case", "case__district", "case__casemanager", "respondent"
        ).prefetch_related(
            Prefetch(
                "steps",
                queryset=MeasureStep.objects.select_related("addressee__party").order_by(
                    "occurred_on", "id"
                ),
            )
        )


class MeasureStepQuerySet(models.QuerySet):
    """Steps are history: never deleted; only their personal data may be blanked."""

    def update(self, **kwargs):
        from .models import MeasureStep

        if not set(kwargs) <= set(MeasureStep.PERSONAL_DATA_FIELDS):
            raise PermissionError("Maatregelstappen zijn alleen aan te vullen.")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError("Maatregelstappen zijn alleen aan te vullen.")

    def in_year(self, year: int):
        return self.filter(occurred_on__year=year)
