import pytest

from apps.painlogs.rules import adherence, prescribed_sessions


@pytest.mark.parametrize(
    ("per_week", "window", "active", "expected"),
    [
        (3, 7, 7, 3),
        (3, 28, 28, 12),
        (3, 7, 1, 1),  # first day of a program: one session already expected
        (3, 28, 14, 6),
        (3, 7, 0, 0),  # no program in the window
        (5, 7, 30, 5),  # active days are capped at the window
    ],
)
def test_prescribed_sessions_pro_rated(per_week, window, active, expected):
    assert prescribed_sessions(per_week, window, active) == expected


def test_adherence_is_capped_and_undefined_without_prescription():
    assert adherence(2, 4) == 0.5
    assert adherence(5, 3) == 1.0
    assert adherence(1, 0) is None
