"""Admin: team leaders keep the table of resultaten (Selectielijst 2020); every change goes
through services.result_type_save and so into the audit log. Rows are never deleted (cases
point at them): a resultaat no longer used is set inactive."""

from django.contrib import admin

from .models import ResultType
from .services import result_type_save


@admin.register(ResultType)
class ResultTypeAdmin(admin.ModelAdmin):
    list_display = ["number", "description", "waardering", "term_years", "applies_to", "active"]
    list_filter = ["waardering", "applies_to", "active"]
    search_fields = ["number", "description"]

    def save_model(self, request, obj, form, change):
        result_type_save(obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False
