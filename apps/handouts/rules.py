"""What the handout says about pain: the program's own traffic light, in a patient's words.

Pure functions of the program's two numbers (docs/clinical.md): green up to ``green_max``,
yellow up to the ceiling, red above it. A band with no rating in it is left out: a program whose
green ends at its ceiling has no yellow, and a ceiling of 10 leaves nothing red.
"""

from dataclasses import dataclass

from apps.programs.rules import Light

PAIN_MAX = 10


@dataclass(frozen=True)
class Band:
    light: Light
    low: int
    high: int
    advice: str

    @property
    def ratings(self) -> str:
        return f"{self.low}" if self.low == self.high else f"{self.low}–{self.high}"

    @property
    def label(self) -> str:
        return self.light.value.title()


ADVICE = {
    Light.GREEN: "Going well. Carry on with your program.",
    Light.YELLOW: "Acceptable. Keep the same dose; don't add more yet.",
    Light.RED: (
        "Too much. Stop the exercise, ease off next time, and tell your clinician if it happens "
        "again."
    ),
}


def light_bands(*, green_max: int, ceiling: int) -> list[Band]:
    """The bands in force, green first, each with the ratings it covers and what to do."""
    spans = [
        (Light.GREEN, 0, green_max),
        (Light.YELLOW, green_max + 1, ceiling),
        (Light.RED, ceiling + 1, PAIN_MAX),
    ]
    return [Band(light, low, high, ADVICE[light]) for light, low, high in spans if low <= high]


def pain_limit_text(ceiling: int) -> str:
    return (
        f"Your pain limit is {ceiling}/10. Pain up to {ceiling}/10 while you exercise and for "
        "24 hours after is fine."
    )


CHECK_24H = (
    "Rate your pain twice: while you exercise, and again 24 hours later, when Greenlight asks. "
    "A session counts as the worse of the two: one that felt fine but hurt above your limit the "
    "next morning is red."
)


def step_rate_text(target: int | None) -> str:
    if not target:
        return ""
    return (
        f"Aim for about {target} steps per minute: short, quick, light steps take load off the hip."
    )


def sign_in_text(*, url: str, email: str) -> str:
    """How to get in; never a password, which a printed page must not carry."""
    return (
        f"Go to {url} and sign in with your email address ({email}) and your password. "
        "Forgotten it? Choose “Forgot your password?” on the sign-in page."
    )


LOG_A_SESSION = (
    "After each session open Today, enter what you did and how much it hurt (0–10), then tap "
    "Save workout. About 24 hours later Greenlight asks how your hip feels: rate it then. Your "
    "clinician sees both and adjusts your program."
)
