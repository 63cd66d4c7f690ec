from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Refuse passwords longer than ``max_length``: long passphrases fit, megabytes do not.

    The limit is high (ASVS asks for at least 64) and only bounds the hashing work per login.
    """

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(self.get_error_message(), code="password_too_long")

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too long. It must contain at most %(max_length)d character.",
            "This password is too long. It must contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
