from django.contrib import admin
from django.urls import path

admin.site.site_header = "Woonoverlast – beheer"
admin.site.site_title = "Woonoverlast"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("beheer/", admin.site.urls),
]
