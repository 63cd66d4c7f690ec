import pytest

from apps.painlogs.rules import Light, traffic_light

# Default bands (docs/clinical.md): green 0–2, yellow 3 (up to the ceiling), red above the ceiling.
DEFAULTS = {"ceiling": 3, "green_max": 2}


@pytest.mark.parametrize(
    ("during", "after", "expected"),
    [
        (0, None, Light.GREEN),
        (2, None, Light.GREEN),
        (3, None, Light.YELLOW),
        (4, None, Light.RED),
        (10, None, Light.RED),
        (2, 2, Light.GREEN),
        (2, 3, Light.YELLOW),
        (3, 2, Light.YELLOW),
        # Green while doing it, red the next morning: the session is red.
        (1, 4, Light.RED),
        (0, 10, Light.RED),
        (4, 0, Light.RED),
    ],
)
def test_light_at_every_default_boundary(during, after, expected):
    assert traffic_light(during, after, **DEFAULTS) == expected


@pytest.mark.parametrize(
    ("during", "ceiling", "green_max", "expected"),
    [
        (5, 5, 2, Light.YELLOW),
        (6, 5, 2, Light.RED),
        (4, 5, 4, Light.GREEN),
        (2, 2, 2, Light.GREEN),  # no yellow band at all when green reaches the ceiling
        (3, 2, 2, Light.RED),
    ],
)
def test_light_follows_the_patients_own_ceiling(during, ceiling, green_max, expected):
    assert traffic_light(during, None, ceiling=ceiling, green_max=green_max) == expected
