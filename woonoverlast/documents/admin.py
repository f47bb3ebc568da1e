"""Letter templates in the admin: team leaders upload a DOCX; every upload is a new version,
checked for unknown merge fields first (the refusal names the field)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from . import merge_fields
from .models import Document, LetterTemplate, LetterTemplateVersion
from .services import letter_template_upload
from .services.letters import template_fields


class LetterTemplateForm(forms.ModelForm):
    new_file = forms.FileField(
        label="Word-bestand (docx)",
        required=False,
        help_text="Een nieuw bestand wordt een nieuwe versie; de vorige versies blijven bewaard.",
    )

    class Meta:
        model = LetterTemplate
        fields = ["name", "description", "is_active"]

    def clean_new_file(self):
        upload = self.cleaned_data.get("new_file")
        if upload is None:
            if self.instance.pk is None:
                raise ValidationError("Kies het Word-bestand van het sjabloon.")
            return None
        upload.seek(0)
        template_fields(upload.read())  # raises with the unknown field named
        upload.seek(0)
        return upload


class VersionInline(admin.TabularInline):
    model = LetterTemplateVersion
    fields = ["number", "fields_used", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ["name", "is_active", "description"]
    inlines = [VersionInline]
    readonly_fields = ["merge_fields"]

    @admin.display(description="Samenvoegvelden")
    def merge_fields(self, obj):
        return format_html_join(
            "", "<div><code>{{{{ {} }}}}</code> – {}</div>", merge_fields.documented_fields()
        )

    def save_model(self, request, obj, form, change):
        obj.save()
        upload = form.cleaned_data.get("new_file")
        if upload is not None:
            letter_template_upload(name=obj.name, template=obj, file=upload, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: the metadata, never the bytes (those go through the download view)."""

    list_display = ["title", "case", "document_type", "version", "uploaded_at", "confidential"]
    list_filter = ["document_type", "confidential"]
    readonly_fields = [field.name for field in Document._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
