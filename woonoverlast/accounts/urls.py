from django.urls import path

from . import two_factor

app_name = "accounts"

urlpatterns = [
    path("tweestapsverificatie/", two_factor.setup, name="two_factor"),
    path("tweestapsverificatie/uitschakelen/", two_factor.disable, name="two_factor_disable"),
]
