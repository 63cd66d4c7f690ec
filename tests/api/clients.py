from rest_framework.test import APIClient


def as_user(user) -> APIClient:
    """An API client signed in as ``user`` (tests of tokens use real Bearer tokens instead)."""
    client = APIClient()
    client.force_authenticate(user)
    return client
