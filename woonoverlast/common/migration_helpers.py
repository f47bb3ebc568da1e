"""Helpers for data migrations. Like the rest of common, they import no app."""

MODEL_PERMISSION_ACTIONS = ("add", "change", "delete", "view")


def rename_model_permissions(apps, *, app_label: str, old: str, new: str, verbose_name: str):
    """Rename a renamed model's four permissions (`view_<old>` -> `view_<new>`, ...).

    migrations.RenameModel renames the table and the content type but not the permissions, so
    without this the role groups and users lose their rights on the model and a second set is
    made. Where the new permission exists already (a post_migrate of an earlier, partly
    applied run made it) the old one is left as it is."""
    Permission = apps.get_model("auth", "Permission")
    of_app = Permission.objects.filter(content_type__app_label=app_label)
    for action in MODEL_PERMISSION_ACTIONS:
        if of_app.filter(codename=f"{action}_{new}").exists():
            continue
        of_app.filter(codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {verbose_name}"
        )
