"""Admin: team leaders keep the Atw's equated days; maatregelen are read-only here (they
change only through the services, so every rule and audit entry holds)."""

from django.contrib import admin

from woonoverlast.cases.admin import ReadOnlyAdmin

from .models import EquatedDay, Measure, MeasureStep


@admin.register(EquatedDay)
class EquatedDayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "decree"]
    date_hierarchy = "day"
    search_fields = ["name", "decree"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "started_on", "current_step", "current_step_on", "ended_on"]
    list_filter = ["kind", "current_step"]
    # The veroorzaker is a party, and parties are not in the admin (cases/admin.py): their
    # names are read in the case file, under the closed-case rule and in the audit log.
    exclude = ["respondent"]

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name not in self.exclude]


@admin.register(MeasureStep)
class MeasureStepAdmin(ReadOnlyAdmin):
    list_display = ["measure", "step", "occurred_on", "recorded_by"]
    list_filter = ["step"]
    exclude = list(MeasureStep.PERSONAL_DATA_FIELDS)
