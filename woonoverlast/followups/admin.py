from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import FollowUpSettings


@admin.register(FollowUpSettings)
class FollowUpSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to it (or to adding it, when it is missing)."""

    fields = ["stalled_after_days", "aftercare_after_weeks", "aftercare_since"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not FollowUpSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = FollowUpSettings.objects.first()
        if row is not None:
            return redirect(reverse("admin:followups_followupsettings_change", args=[row.pk]))
        return redirect(reverse("admin:followups_followupsettings_add"))

    def save_model(self, request, obj, form, change):
        obj.pk = FollowUpSettings.SINGLETON_PK
        super().save_model(request, obj, form, change)
