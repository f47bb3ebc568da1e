from django.contrib import admin

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from .models import FeedbackTemplate


@admin.register(FeedbackTemplate)
class FeedbackTemplateAdmin(admin.ModelAdmin):
    """The texts melders get: team leaders edit them (accounts.roles.ADMIN_PERMISSIONS)."""

    list_display = ["kind", "subject", "updated_at"]
    readonly_fields = ["updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            AuditAction.UPDATE if change else AuditAction.CREATE,
            by=request.user,
            obj=obj,
            changes={name: "(gewijzigd)" for name in form.changed_data},
        )
