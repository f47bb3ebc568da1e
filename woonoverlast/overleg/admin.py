"""Admin: team leaders maintain the partner organisations, contacts and convenanten. Every
save goes through the services, which check the role and audit the change."""

from django import forms
from django.contrib import admin

from .choices import DataCategory
from .models import Contact, Covenant, Disclosure, Organisation
from .services import contact_save, covenant_save, organisation_save


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        # Deactivate or end instead: the register of verstrekkingen points at these rows.
        return False


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteAdmin):
    list_display = ["name", "kind", "reference", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        organisation_save(obj, by=request.user)


@admin.register(Contact)
class ContactAdmin(NoDeleteAdmin):
    list_display = ["name", "organisation", "function", "user", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "email"]

    def save_model(self, request, obj, form, change):
        contact_save(obj, by=request.user)


class CovenantForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label="Gegevenscategorieën",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Alleen deze gegevens krijgt de organisatie te zien. Zorginformatie is een "
        "bijzonder persoonsgegeven (AVG art. 9): kies het alleen als het convenant het noemt.",
    )

    class Meta:
        model = Covenant
        fields = ["organisation", "title", "valid_from", "valid_until", "categories"]


@admin.register(Covenant)
class CovenantAdmin(NoDeleteAdmin):
    form = CovenantForm
    list_display = ["title", "organisation", "valid_from", "valid_until", "categories_shown"]
    list_filter = ["organisation"]

    @admin.display(description="gegevenscategorieën")
    def categories_shown(self, obj):
        return ", ".join(obj.category_labels())

    def save_model(self, request, obj, form, change):
        covenant_save(obj, by=request.user)


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """The register, read-only (the team leader's page with exports is /overleg/verstrekkingen/)."""

    list_display = ["disclosed_at", "case", "organisation", "contact", "channel"]
    list_filter = ["organisation", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
