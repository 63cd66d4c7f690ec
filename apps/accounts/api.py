from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, NotFound, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.audit.services import auth_event_record
from apps.common.api import StrictCharField
from apps.common.ratelimit import client_address

from .auth import TokenAuthentication
from .lockout import REQUEST_ATTR, lockout_message, lockout_remaining, login_failure_record
from .mfa import API_ENROL_FIRST, mfa_code_accept, mfa_enrolled, mfa_ticket_issue, mfa_ticket_user
from .models import User
from .services import user_token_revoke


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


class MfaChallengeSerializer(serializers.Serializer):
    mfa_required = serializers.BooleanField(help_text="Always true: send a code next.")
    mfa_token = StrictCharField(
        help_text="Send it with the code to /api/v1/auth/token/mfa/; valid for 5 minutes."
    )
    methods = serializers.ListField(child=StrictCharField(), help_text="e.g. totp, recovery_code")


class MfaTokenRequestSerializer(serializers.Serializer):
    mfa_token = StrictCharField()
    code = StrictCharField(help_text="The authenticator app's 6-digit code, or a recovery code.")


def _issue(request, user) -> Response:
    instance, token = AuthToken.objects.create(user)
    auth_event_record(action="token_issued", request=request, user=user)
    return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_201_CREATED)


class SignInView(APIView):
    """A door that signs in: open to anyone, throttled per client address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]
    throttle_scope = "auth"

    def get_authenticate_header(self, request):
        # Bad credentials are a 401 naming the scheme to use, not DRF's fallback 403.
        return "Bearer"


class TokenView(SignInView):
    """Exchange email and password for a Bearer token that expires (default 7 days).

    Step one of two for anyone with a second factor, and for every clinician, clinic admin and
    staff member (they must have one): the answer is then 200 with an ``mfa_token``, to send
    with a code to ``/api/v1/auth/token/mfa/``. A clinician who has not set up a second factor
    gets 403 and sets it up in the web app first. Patients without one get the token at once.
    """

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            200: OpenApiResponse(MfaChallengeSerializer, description="A second factor is next."),
            403: OpenApiResponse(description="A clinician must set up a second factor first."),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        _raise_if_locked(request)
        if user is None:
            raise AuthenticationFailed("That email and password don't match an account.")
        if mfa_enrolled(user):
            return Response(
                {
                    "mfa_required": True,
                    "mfa_token": mfa_ticket_issue(user),
                    "methods": ["totp", "recovery_code"],
                }
            )
        if user.mfa_required:
            raise PermissionDenied(API_ENROL_FIRST)
        return _issue(request, user)


class MfaTokenView(SignInView):
    """Step two: the ``mfa_token`` from step one and a code give the Bearer token.

    A wrong code is a 401 and counts towards the account's lockout, as a wrong password does;
    a code is accepted once.
    """

    @extend_schema(request=MfaTokenRequestSerializer, responses={201: TokenSerializer})
    def post(self, request):
        data = MfaTokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = mfa_ticket_user(data.validated_data["mfa_token"])
        if user is None:
            raise AuthenticationFailed(
                "That sign-in has expired: send your email and password again."
            )
        if remaining := lockout_remaining(request, user.email):
            raise Throttled(wait=remaining, detail=lockout_message(remaining))
        if not mfa_code_accept(user, data.validated_data["code"]):
            auth_event_record(action="mfa_failed", request=request, user=user)
            login_failure_record(request, user.email)
            _raise_if_locked(request, user.email)
            raise AuthenticationFailed("Incorrect code.")
        auth_event_record(action="mfa_succeeded", request=request, user=user)
        return _issue(request, user)


def _raise_if_locked(request, email: str | None = None) -> None:
    locked_for = getattr(request, REQUEST_ATTR, 0) or (
        lockout_remaining(request, email) if email else 0
    )
    if locked_for:
        raise Throttled(wait=locked_for, detail=lockout_message(locked_for))


class TokenInfoSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "current"]

    def get_current(self, token) -> bool:
        used = self.context["request"].auth
        return isinstance(used, AuthToken) and used.pk == token.pk


class TokenListView(APIView):
    """Your own API tokens that have not expired: the first characters of each, never whole."""

    @extend_schema(responses=TokenInfoSerializer(many=True))
    def get(self, request):
        tokens = AuthToken.objects.filter(user=request.user, expiry__gt=timezone.now())
        return Response(
            TokenInfoSerializer(
                tokens.order_by("-created"), many=True, context={"request": request}
            ).data
        )


class TokenRevokeView(APIView):
    """Revoke one of your own tokens by its ``token_key`` (someone else's is a 404)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_key):
        try:
            user_token_revoke(user=request.user, token_key=token_key)
        except DjangoValidationError as error:
            raise NotFound(" ".join(error.messages)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=None, responses={204: None})
class LogoutView(KnoxLogoutView):
    """Revoke the token used for this request."""

    authentication_classes = [TokenAuthentication]

    def post(self, request, format=None):
        response = super().post(request, format)
        auth_event_record(action="token_revoked", request=request, user=request.user)
        return response


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
