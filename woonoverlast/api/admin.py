"""API tokens in the admin: look and revoke. New tokens come from `manage.py api_token`, which
shows the key once; the admin never sees a key, only its first characters."""

from django.contrib import admin, messages

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays for the audit trail

    @admin.action(description="Geselecteerde tokens intrekken", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token, by=request.user)
        messages.success(request, f"{queryset.count()} token(s) ingetrokken.")
