from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("<str:reference>/", views.case_detail, name="detail"),
]
