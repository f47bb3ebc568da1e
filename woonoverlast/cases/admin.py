"""Admin: team leaders maintain the reference lists; case data is read-only here.

Cases and everything in them change only through the services (the screens, the import), so
that every rule and every audit entry holds; the admin shows them for inspection, **without
personal data**: no model's PERSONAL_DATA_FIELDS appear in a list, a form, a search or an
inline, and parties are not in the admin at all. Personal data is read in the case file,
where the closed-case rule applies and every read is in the audit log (docs/privacy.md).
"""

from django.contrib import admin

from .models import (
    Action,
    Case,
    Category,
    District,
    HousingCorporation,
    Melding,
    Partner,
    ReferenceCounter,
    StatusChange,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: deleting a wijk would rewrite past tables.
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partner, HousingCorporation)
class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


def _without_personal_data(model, fields) -> list[str]:
    return [name for name in fields if name not in getattr(model, "PERSONAL_DATA_FIELDS", ())]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inspection only: history and case data are written by the services. Never shows the
    model's personal-data fields."""

    def get_fields(self, request, obj=None):
        names = self.fields or [
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "concrete", False) and not field.primary_key
        ]
        return _without_personal_data(self.model, names)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Read-only rows of a case, without personal-data fields."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return _without_personal_data(self.model, super().get_fields(request, obj))


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["status", "effective_on", "ended_on", "closing_reason", "created_by"]


class ActionInline(ReadOnlyInline):
    model = Action
    fields = ["action_type", "performed_on", "performed_by", "follow_up_on"]


class MeldingInline(ReadOnlyInline):
    model = Melding
    fields = ["received_on", "source", "created_by"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "district",
        "housing_type",
        "status",
        "registered_on",
        "closed_on",
        "casemanager",
    ]
    list_filter = ["status", "housing_type", "district", "complexity"]
    list_select_related = ["district", "casemanager"]
    # By reference only: a search on street or postcode would read addresses.
    search_fields = ["reference"]
    date_hierarchy = "registered_on"
    inlines = [StatusChangeInline, MeldingInline, ActionInline]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["case", "status", "effective_on", "ended_on", "closing_reason", "created_by"]
    list_filter = ["status", "closing_reason"]
    list_select_related = ["case", "created_by"]
    search_fields = ["case__reference"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["case", "action_type", "performed_on", "performed_by", "follow_up_on"]
    list_filter = ["action_type"]
    list_select_related = ["case", "performed_by"]
    search_fields = ["case__reference"]


@admin.register(Melding)
class MeldingAdmin(ReadOnlyAdmin):
    list_display = ["case", "received_on", "source"]
    list_filter = ["source"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_number"]
