"""Two-factor verification (TOTP) with django-otp: setting it up and enforcing it."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import ConfirmDeviceForm, DisableTwoFactorForm
from .roles import two_factor_required
from .services import two_factor_disable, two_factor_enable


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def setup(request):
    """Shows the status; without a confirmed device, a QR code to scan and a code to confirm."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        return render(
            request,
            "registration/two_factor.html",
            {
                "device": confirmed,
                "required": two_factor_required(request.user),
                "disable_form": DisableTwoFactorForm(),
            },
        )
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator-app"}
    )
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:  # django-otp slows down guessing after each wrong code
            form.add_error("otp_token", "Te veel verkeerde codes. Wacht even en probeer opnieuw.")
        elif device.verify_token(form.cleaned_data["otp_token"]):
            two_factor_enable(device, by=request.user)
            otp_login(request, device)
            messages.success(request, "Tweestapsverificatie is ingeschakeld.")
            return redirect("accounts:two_factor")
        else:
            form.add_error("otp_token", "Deze code klopt niet. Vul de code in die de app nu toont.")
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped_secret(device),
            "required": two_factor_required(request.user),
        },
    )


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_POST
def disable(request):
    """Switching off needs the password and a fresh code: a session left open on a shared PC
    must not be enough to take the second factor away."""
    form = DisableTwoFactorForm(request.POST)
    if form.is_valid():
        try:
            two_factor_disable(
                user=request.user,
                by=request.user,
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # keyed by the form's own field names
        else:
            messages.success(request, "Tweestapsverificatie is uitgeschakeld.")
            return redirect("accounts:two_factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(
        request,
        "registration/two_factor.html",
        {"device": device, "required": two_factor_required(request.user), "disable_form": form},
    )


def admin_login(request):
    """The admin has no log-in of its own: it sends people to the app's log-in, which asks for
    the code of those who use two-factor verification (a POST here logs nobody in). Someone
    already signed in who lacks admin rights gets *Geen toegang*: a log-in form would only
    suggest that another password helps."""
    target = request.GET.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect(target)
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


# Set in the session at log-in when the user has a confirmed device but logged in without
# its code (any log-in path that skips the second step): such a session is refused.
UNVERIFIED_SESSION = "woonoverlast_two_factor_missing"


# Set at an SSO log-in where the provider asserted multi-factor (accounts.oidc): that stands
# in for the app's own code.
SSO_MFA_SESSION = "woonoverlast_sso_mfa"
SSO_SESSION = "woonoverlast_sso"


def _verified(request) -> bool:
    return request.user.is_verified() or bool(request.session.get(SSO_MFA_SESSION))


@receiver(user_logged_in, dispatch_uid="flag_login_without_second_factor")
def flag_login_without_second_factor(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(SSO_MFA_SESSION):
        request.session.pop(UNVERIFIED_SESSION, None)
    elif getattr(user, "otp_device", None) is None and user_has_device(user):
        request.session[UNVERIFIED_SESSION] = True
    else:
        request.session.pop(UNVERIFIED_SESSION, None)


class TwoFactorEnforcementMiddleware:
    """A session of a user with two-factor verification on that was opened without the code
    is ended; team leaders without verification are sent to set it up (when it is required)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.session.get(UNVERIFIED_SESSION)
            and not _verified(request)
        ):
            if request.session.get(SSO_SESSION):
                # After an SSO log-in without multi-factor: the app's own code, on its page.
                allowed = {reverse("sso:verify"), reverse("logout")}
                if request.path in allowed or request.path.startswith(settings.STATIC_URL):
                    return self.get_response(request)
                return redirect("sso:verify")
            logout(request)
            messages.error(request, "Log in met uw verificatiecode.")
            return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
        if user.is_authenticated and not _verified(request) and two_factor_required(user):
            allowed = {reverse("accounts:two_factor"), reverse("logout"), reverse("login")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if user_has_device(user):
                    # Logged in before it became required: verify by logging in again.
                    logout(request)
                    return redirect(f"{reverse('login')}?next={request.path}")
                messages.info(request, "Stel eerst tweestapsverificatie in.")
                return redirect("accounts:two_factor")
        return self.get_response(request)
