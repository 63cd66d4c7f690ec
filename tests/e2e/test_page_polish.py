"""What the walk-through saw drawn wrong, measured in a real browser: charts, badges, the menu."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.programs.services import ItemInput, program_assign
from tests.e2e.test_core_loop import log_in
from tests.factories import library_exercise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
DAY_MONTH = re.compile(r"^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$")


def _log_pains(patient, program, pains: list[int], every: int = 1) -> None:
    """A workout every ``every`` days, oldest first, the last ``every`` days ago."""
    bridge, plank = program.items.all()
    start = timezone.now() - timedelta(days=len(pains) * every)
    for n, pain in enumerate(pains):
        workout_log(
            user=patient.user,
            performed_at=start + timedelta(days=n * every),
            results=[
                ResultInput(prescribed=bridge, set_values=[10, 10, 10], pain_during=pain),
                ResultInput(prescribed=plank, set_values=[30, 30, 30], pain_during=pain),
            ],
        )


def _page(browser, live_server, user, viewport=DESKTOP, **context):
    context = browser.new_context(viewport=viewport, **context)
    page = context.new_page()
    log_in(page, live_server.url, user.email)
    return page


# Between two sessions a pain line must stay between their two ratings: a smoothed curve through
# 2, 2, 8 sags below 2 before it climbs (and through 0, 0, 8 below the axis).
PAIN_LINE_CHECK = """(id) => {
  const chart = Chart.getChart(document.getElementById(id));
  const overshoots = [];
  chart.data.datasets.forEach((ds, i) => {
    const points = chart.getDatasetMeta(i).data.filter((pt) => !pt.skip);
    points.slice(1).forEach((pt, j) => {
      const prev = points[j];
      const [low, high] = [Math.min(prev.y, pt.y) - 0.5, Math.max(prev.y, pt.y) + 0.5];
      for (const v of [prev.cp2y, pt.cp1y]) {
        if (v !== undefined && (v < low || v > high)) overshoots.push(ds.label + " #" + j);
      }
    });
  });
  const y = chart.scales.y;
  return {overshoots, min: y.min, max: y.max, labels: chart.data.labels};
}"""


def test_pain_lines_stay_within_0_to_10_and_dates_read_day_month(
    live_server, browser, clinician, patient, program
):
    # Given weekly sessions whose pain stays at 2, jumps to 8 and falls back
    _log_pains(patient, program, [2, 2, 8, 2, 2], every=7)

    # When the clinician opens the patient page and the weekly trend
    page = _page(browser, live_server, clinician)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.locator("#pain-chart")).to_have_attribute("data-points", "5")
    detail = page.evaluate(PAIN_LINE_CHECK, "pain-chart")
    page.goto(f"{live_server.url}/patients/{patient.pk}/trend/")
    weekly = page.evaluate(PAIN_LINE_CHECK, "weekly-pain-chart")

    # Then no line overshoots the ratings it joins, on the fixed 0–10 axis
    for chart in (detail, weekly):
        assert chart["overshoots"] == []
        assert (chart["min"], chart["max"]) == (0, 10)
        # and dates read as on the rest of the site: "21 Nov", not "Nov 21"
        assert chart["labels"]
        assert all(DAY_MONTH.match(label) for label in chart["labels"]), chart["labels"]


def test_the_volume_chart_leaves_room_above_every_series(
    live_server, browser, clinician, patient, program
):
    # Given a few weeks of sessions
    _log_pains(patient, program, [1, 2, 1, 2, 1, 2, 1, 2, 1])

    # When the clinician opens the weekly trend
    page = _page(browser, live_server, clinician)
    page.goto(f"{live_server.url}/patients/{patient.pk}/trend/")
    axes = page.evaluate("""() => {
      const chart = Chart.getChart(document.getElementById('weekly-volume-chart'));
      const top = {};
      chart.data.datasets.forEach((ds) => {
        const values = ds.data.filter((v) => v !== null);
        top[ds.yAxisID] = Math.max(top[ds.yAxisID] ?? 0, ...values);
      });
      return Object.entries(top).map(([id, data]) => ({id, data, axis: chart.scales[id].max}));
    }""")

    # Then each axis reaches above the highest value drawn on it
    assert {a["id"] for a in axes} == {"sessions", "volume"}
    for axis in axes:
        assert axis["data"] > 0
        assert axis["axis"] > axis["data"], axis


BADGE_LINES = """() => [...document.querySelectorAll('.light')].map((el) => {
      const style = getComputedStyle(el);
      const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      return {text: el.textContent, lines: (el.getBoundingClientRect().height - padding)
        / parseFloat(style.lineHeight)};
    })"""

LIGHT_GAPS = """() => [...document.querySelectorAll('.d-flex > * + .light')]
  .map((light) => light.getBoundingClientRect().left
    - light.previousElementSibling.getBoundingClientRect().right)"""


def test_a_light_badge_stays_one_line_on_a_phone(live_server, browser, patient, program):
    # Given sessions whose 24-hour ratings are still to come (the longest badges), and an
    # activity whose description wraps over several lines beside its light
    _log_pains(patient, program, [1, 3, 4])
    activity_log(
        user=patient.user,
        kind="bike",
        date=timezone.localdate() - timedelta(days=1),
        duration_minutes=30,
        pain_during=2,
        description="Along the river with the children, and a picnic at the far end",
    )

    # When the patient reads their history and their weekly progress on a narrow phone
    page = _page(browser, live_server, patient.user, PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/history/")
    history = page.evaluate(BADGE_LINES)
    gaps = page.evaluate(LIGHT_GAPS)
    page.goto(f"{live_server.url}/patients/{patient.pk}/trend/")
    trend = page.evaluate(BADGE_LINES)
    gaps += page.evaluate(LIGHT_GAPS)

    # Then each badge is one line of text, not a blob of two or four
    assert sum("pending" in b["text"] for b in history) == 3
    assert trend
    for badge in history + trend:
        assert round(badge["lines"], 1) <= 1.1, badge
    # and a light never touches the date or text beside it
    assert len(gaps) == 4
    assert min(gaps) >= 4, gaps


def test_the_user_name_lines_up_with_the_menu_links(live_server, browser, clinician):
    page = _page(browser, live_server, clinician)
    centres = page.evaluate("""() => {
      const centre = (el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; };
      const name = [...document.querySelectorAll('#nav .navbar-text')]
        .find((el) => el.textContent.includes('Alice Clinician'));
      return {name: centre(name),
              links: [...document.querySelectorAll('#nav a.nav-link')].map(centre)};
    }""")
    assert centres["links"]
    for link in centres["links"]:
        assert abs(centres["name"] - link) <= 2, centres


def test_run_field_labels_share_one_size(live_server, browser, clinician, patient):
    # Given a program with a run
    program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(days=3),
        review_date=timezone.localdate() + timedelta(days=28),
        items=[
            ItemInput(
                exercise=library_exercise("conversational-pace-running"),
                caution_acknowledged=True,
            )
        ],
    )

    # When the patient opens today's workout on a phone
    page = _page(browser, live_server, patient.user, PHONE, is_mobile=True, has_touch=True)
    sizes = page.evaluate("""() => [...document.querySelectorAll('fieldset.sets label.form-label')]
      .map((el) => [el.textContent.trim(), getComputedStyle(el).fontSize])""")

    # Then minutes, distance and step rate are labelled in one size
    labels = [label for label, _ in sizes]
    assert any("Minutes" in label for label in labels)
    assert any("Distance" in label for label in labels)
    assert any("Step rate" in label for label in labels)
    assert len({size for _, size in sizes}) == 1, sizes


def test_a_new_patient_starts_in_the_browsers_time_zone(live_server, browser, clinician):
    # Given a clinician whose browser runs in Berlin (their account says London)
    page = _page(browser, live_server, clinician, timezone_id="Europe/Berlin")

    # When they open the form for a new patient
    page.goto(f"{live_server.url}/patients/new/")
    select = page.locator("#id_timezone")

    # Then Berlin is chosen, under Europe, and a box filters the long list
    expect(select).to_have_value("Europe/Berlin")
    assert page.locator("optgroup[label='Europe'] option[value='Europe/Berlin']").count() == 1
    page.get_by_label("Find a time zone").fill("new york")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('#id_timezone option')]
        .filter((o) => !o.hidden).map((o) => o.value)"""
    )
    assert visible == ["America/New_York"]


def test_an_edited_patient_keeps_their_own_zone(live_server, browser, clinician, patient):
    page = _page(browser, live_server, clinician, timezone_id="Europe/Berlin")
    page.goto(f"{live_server.url}/patients/{patient.pk}/edit/")
    expect(page.locator("#id_timezone")).to_have_value("America/Los_Angeles")


# The canvas just above the top of the plot, at each rating of 10: painted if the dot is whole.
DOT_ABOVE_TOP = """([id, dataset]) => {
  const chart = Chart.getChart(document.getElementById(id));
  const ratio = window.devicePixelRatio;
  const top = chart.chartArea.top;
  const tens = chart.getDatasetMeta(dataset).data
    .filter((pt) => chart.scales.y.getValueForPixel(pt.y) > 9.5);
  return tens
    .map((pt) => chart.ctx.getImageData(Math.round(pt.x * ratio), Math.round((top - 3) * ratio),
      1, 1).data[3]);
}"""


def test_a_rating_of_10_is_drawn_whole_not_cut_by_the_edge(
    live_server, browser, clinician, patient, program
):
    # Given sessions rated 10
    _log_pains(patient, program, [3, 10, 3, 10])

    # When the clinician opens the patient page and the weekly trend
    page = _page(browser, live_server, clinician)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    sessions = page.evaluate(DOT_ABOVE_TOP, ["pain-chart", 0])
    page.goto(f"{live_server.url}/patients/{patient.pk}/trend/")
    weeks = page.evaluate(DOT_ABOVE_TOP, ["weekly-pain-chart", 1])  # the worst of each week

    # Then the dots at 10 are whole: their upper half shows above the plot's top line
    assert len(sessions) == 2
    assert weeks
    assert all(alpha > 0 for alpha in sessions + weeks), (sessions, weeks)


def test_a_browser_naming_an_old_alias_gets_the_current_name(live_server, browser, clinician):
    # Chromium says Asia/Calcutta (its ICU name) where the list has Asia/Kolkata.
    page = _page(browser, live_server, clinician, timezone_id="Asia/Calcutta")
    page.goto(f"{live_server.url}/patients/new/")
    expect(page.locator("#id_timezone")).to_have_value("Asia/Kolkata")
