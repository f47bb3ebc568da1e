from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "woonoverlast.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en rollen"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import middleware  # noqa: F401  (connects the log-in time receiver)
        from .roles import sync_role_permissions

        # Every app's post_migrate: the permissions of later apps exist only after theirs.
        post_migrate.connect(sync_role_permissions, dispatch_uid="sync_role_permissions")
