from django.contrib.auth.views import LoginView
from django.urls import path

from tests.interop.live_urls import urlpatterns as live_urlpatterns

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    *live_urlpatterns,
]
