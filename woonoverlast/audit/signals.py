"""Log-ins, log-outs and failed log-ins go into the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .recorder import record


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None) or {}
    if session.get("woonoverlast_sso"):  # accounts.oidc: through the identity provider
        changes = {
            "via": "SSO",
            "meerstapsverificatie bij provider": bool(session.get("woonoverlast_sso_mfa")),
        }
        record(AuditAction.LOGIN, by=user, changes=changes)
        return
    record(AuditAction.LOGIN, by=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, by=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if "code_verifier" in credentials or "nonce" in credentials:
        return  # an SSO callback: accounts.oidc records the refusal with its reason
    record(AuditAction.LOGIN_FAILED, actor_name=str(credentials.get("username", ""))[:150])
