from django.contrib import admin

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, record

from .models import Subscription, SubscriptionChannel


class SubscriptionChannelInline(admin.TabularInline):
    model = SubscriptionChannel
    extra = 1


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Abonnementen: team leaders add and change them (accounts.roles.ADMIN_PERMISSIONS);
    every change is in the audit log (the secret only as changed)."""

    list_display = ["name", "callback_url", "active", "created_at"]
    list_filter = ["active"]
    inlines = [SubscriptionChannelInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            AuditAction.UPDATE if change else AuditAction.CREATE,
            by=request.user,
            obj=obj,
            changes={
                name: MASKED if name == "secret" else str(form.cleaned_data[name])
                for name in form.changed_data
            },
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        channels = {
            channel.get_kanaal_display(): channel.filters
            for channel in form.instance.channels.all()
        }
        if formset.has_changed():
            record(
                AuditAction.UPDATE,
                by=request.user,
                obj=form.instance,
                changes={"kanalen": channels},
            )

    def delete_model(self, request, obj):
        record(AuditAction.UPDATE, by=request.user, obj=obj, changes={"verwijderd": obj.name})
        super().delete_model(request, obj)
