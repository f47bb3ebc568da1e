from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonoverlast.submissions.required import SpecificRequiredMixin

OTP_ERRORS = {
    "token_required": "Vul de verificatiecode uit uw authenticator-app in.",
    "invalid_token": "Deze verificatiecode klopt niet. Vul de code in die de app nu toont.",
    "n_failed_attempts": "Te veel verkeerde codes. Wacht even en probeer het opnieuw.",
    "verification_not_allowed": "Verificatie is tijdelijk niet mogelijk. Probeer het later.",
    "device_required": "Er is geen tweestapsverificatie ingesteld voor deze gebruiker.",
    "challenge_exception": "De verificatiecode kon niet worden aangemaakt.",
    "not_interactive": "Dit apparaat kan geen code versturen.",
    "challenge_message": "{0}",
}


def token_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label="Verificatiecode",
        required=required,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


class LoginForm(SpecificRequiredMixin, OTPAuthenticationFormMixin, AuthenticationForm):
    """User name and password, plus the code from the authenticator app for those who use
    two-factor verification (optional for everyone, required for team leaders when
    TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER is on)."""

    otp_error_messages = OTP_ERRORS
    otp_token = token_field(required=False)
    otp_token.help_text = "Alleen als u tweestapsverificatie gebruikt: de 6 cijfers uit de app."

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        # One authenticator app per user, so there is nothing to choose.
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class ConfirmDeviceForm(SpecificRequiredMixin, forms.Form):
    otp_token = token_field(required=True)
    otp_token.help_text = "De 6 cijfers die de app toont nadat u de QR-code hebt gescand."


class DisableTwoFactorForm(SpecificRequiredMixin, forms.Form):
    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = token_field(required=True)
    otp_token.help_text = "De 6 cijfers die de app nu toont."
