from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.common.api import StrictCharField
from apps.common.ratelimit import client_address

from .lockout import REQUEST_ATTR, lockout_message
from .models import User


class AddressRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed on the client address that GREENLIGHT_TRUSTED_PROXIES allows.

    DRF's own key is the whole X-Forwarded-For header, which a client rotates at will.
    """

    def get_ident(self, request):
        return client_address(request)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = StrictCharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = StrictCharField()
    expiry = serializers.DateTimeField()


class TokenView(APIView):
    """Exchange email and password for a Bearer token that expires (default 7 days)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "auth"

    def get_authenticate_header(self, request):
        # Bad credentials are a 401 naming the scheme to use, not DRF's fallback 403.
        return "Bearer"

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        locked_for = getattr(request, REQUEST_ATTR, 0)
        if locked_for:
            raise Throttled(wait=locked_for, detail=lockout_message(locked_for))
        if user is None:
            raise AuthenticationFailed("That email and password don't match an account.")
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None})
class LogoutView(KnoxLogoutView):
    """Revoke the token used for this request."""


class MeSerializer(serializers.ModelSerializer):
    patient_id = serializers.SerializerMethodField()
    clinic = StrictCharField(source="clinic.name", default=None)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "timezone", "clinic", "patient_id"]

    def get_patient_id(self, user) -> int | None:
        profile = getattr(user, "patient_profile", None) if user.is_patient else None
        return profile.pk if profile else None


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
