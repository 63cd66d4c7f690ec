"""When a scheduled questionnaire is due: pure date arithmetic on the patient's local dates."""

from datetime import date, timedelta


def occasions_due(
    start_date: date, every_weeks: int | None, at_start: bool, today: date
) -> list[tuple[str, date]]:
    """The (occasion, due date) pairs a schedule owes by ``today``, all in patient-local dates.

    "At the start" is due on the program's start date. "Every N weeks" is due N weeks after the
    start, then 2N, ...; only the latest interval reached is returned: a patient who missed the
    week-4 questionnaire is asked the week-8 one, not both, because an old answer describes a
    state already gone. Calendar dates carry no clock, so DST changes do not move them.
    """
    if today < start_date:
        return []
    due = [("start", start_date)] if at_start else []
    if every_weeks:
        intervals = (today - start_date).days // (7 * every_weeks)
        if intervals >= 1:
            due.append(("interval", start_date + timedelta(weeks=every_weeks * intervals)))
    return due
