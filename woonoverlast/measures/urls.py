from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("exporteren.<str:file_format>", views.measure_export, name="export"),
    path("casus/<reference:reference>/nieuw/", views.MeasureStartView.as_view(), name="start"),
    path("<int:pk>/stap/<str:step>/", views.MeasureStepView.as_view(), name="step"),
    path("<int:pk>/geadresseerde/", views.MeasureAddresseeView.as_view(), name="addressee_add"),
]
