from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadPublicWriteStaff(BasePermission):
    """Reads are public when KP_PUBLIC_READ is on (else signed-in users); writes need staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            return settings.KP_PUBLIC_READ or bool(user and user.is_authenticated)
        return bool(user and user.is_staff)
