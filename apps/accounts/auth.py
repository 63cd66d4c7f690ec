from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's bearer tokens, without reading all of the user's other tokens on every request.

    knox deletes a user's other expired tokens each time one is used, which costs every API
    request a query; the daily ``tokens-expired-delete`` task does that sweep instead. An
    expired token is still refused (and deleted) when it is presented.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False
