"""Pure helpers about exercise doses (no ORM, no I/O)."""


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def format_dose(kind: str, sets: int, low: int, high: int, rep_hold: int | None = None) -> str:
    """A dose as a patient reads it: “3 × 8–10 reps, hold 2 s”, “3 × 20–30 s”, “20–30 min”."""
    if kind == "duration":
        return f"{_range(low, high)} min"
    if kind == "hold":
        return f"{sets} × {_range(low, high)} s hold"
    text = f"{sets} × {_range(low, high)} reps"
    if rep_hold:
        text += f", hold {rep_hold} s at the top"
    return text


def unit_label(kind: str) -> str:
    return {"reps": "reps", "hold": "seconds", "duration": "minutes"}.get(kind, "")
