"""Every library exercise has a line drawing that pages show and the PDF handout can embed."""

import logging
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from fpdf import FPDF

from apps.exercises.drawing import DRAWINGS, library_names, render
from apps.exercises.drawing.figure import ARROW, BAND, FAR, FRAME, GHOST, INK, KIT_FILL
from apps.exercises.illustrations import illustration_for, illustration_path
from apps.exercises.models import Exercise
from apps.programs.services import ItemInput, program_assign
from tests.conftest import client_for
from tests.factories import ExerciseFactory, library_exercise

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# What fpdf2 draws (README: the handout); anything else would be dropped or break the PDF.
ALLOWED = {
    "svg": {"xmlns", "width", "height", "viewBox", "role"},
    "title": set(),
    "desc": set(),
    "g": {"id"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "polygon": {"points"},
    "rect": {"x", "y", "width", "height", "rx"},
    "circle": {"cx", "cy", "r"},
    "ellipse": {"cx", "cy", "rx", "ry"},
    "path": {"d"},
}
PRESENTATION = {
    "fill",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "stroke-dasharray",
}
IMG = re.compile(r"<img [^>]*>")


def parse(path: Path) -> ET.Element:
    # The project's own committed files, not input from anyone.
    return ET.parse(path).getroot()  # noqa: S314


def drawing_file(exercise: Exercise) -> Path:
    found = finders.find(illustration_path(exercise.slug))
    assert found, f"no drawing for {exercise.slug}"
    return Path(found)


def library() -> list[Exercise]:
    return list(Exercise.objects.filter(clinic__isnull=True).order_by("slug"))


def test_every_library_exercise_has_a_drawing_named_after_it():
    exercises = library()
    assert len(exercises) == len(library_names()) == 30

    for exercise in exercises:
        root = parse(drawing_file(exercise))
        assert root.tag == f"{SVG}svg"
        assert root.findtext(f"{SVG}title") == exercise.name
        assert root.get("role") == "img"
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_drawings_use_only_what_the_pdf_handout_can_draw():
    for exercise in library():
        path = drawing_file(exercise)
        assert path.stat().st_size < 8_000, f"{path.name} is too big for a handout"
        for element in parse(path).iter():
            tag = element.tag.removeprefix(SVG)
            assert tag in ALLOWED, f"{path.name}: <{tag}>"
            extra = set(element.attrib) - ALLOWED[tag] - PRESENTATION
            assert not extra, f"{path.name}: <{tag}> {extra}"
            assert "url(" not in "".join(element.attrib.values()), f"{path.name}: a reference"


def test_each_drawing_goes_into_a_pdf(caplog):
    pdf = FPDF()
    pdf.add_page()
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        for exercise in library():
            pdf.image(str(drawing_file(exercise)), x=10, w=120)

    assert bytes(pdf.output()).startswith(b"%PDF")
    # fpdf2 skips only the title and description, which are for screen readers.
    skipped = {m for m in caplog.messages if "unsupported SVG tag" in m}
    assert skipped <= {
        "Ignoring unsupported SVG tag: <title> (contributions are welcome to add support for it)",
        "Ignoring unsupported SVG tag: <desc> (contributions are welcome to add support for it)",
    }


def test_the_committed_drawings_are_what_the_generator_draws():
    # A pose changed in the code but not regenerated would leave the files behind.
    names = library_names()
    for slug, name in names.items():
        committed = Path(finders.find(illustration_path(slug))).read_text(encoding="utf-8")
        assert committed == render(DRAWINGS[slug], name), "run python -m apps.exercises.drawing"


def pictures(html: str) -> list[str]:
    return [tag for tag in IMG.findall(html) if "Line drawing" in tag]


def test_the_library_shows_each_exercise_with_its_drawing(clinician_client):
    html = clinician_client.get(reverse("exercises:library")).content.decode()

    shown = pictures(html)
    assert len(shown) == 30
    bridge = next(t for t in shown if "banded-bridge-knees-out.svg" in t)
    assert 'alt="Line drawing: start and end position of Bridge with a band around the knees"' in (
        bridge
    )
    assert 'loading="lazy"' in bridge
    assert 'width="172"' in bridge


def test_an_exercise_page_shows_its_drawing(clinician_client):
    exercise = library_exercise("copenhagen-plank-short-lever")

    html = clinician_client.get(reverse("exercises:detail", args=[exercise.pk])).content.decode()

    (shown,) = pictures(html)
    assert "exercises/copenhagen-plank-short-lever.svg" in shown


def test_the_patient_sees_a_drawing_for_each_prescribed_exercise(patient_client, program):
    html = patient_client.get(reverse("painlogs:today")).content.decode()

    shown = pictures(html)
    assert [re.search(r"exercises/([a-z-]+)\.svg", t).group(1) for t in shown] == [
        "banded-bridge-knees-out",
        "side-plank-knee",
    ]
    assert "start and end position of Side plank from knee and elbow" in shown[1]


def test_a_clinics_own_exercise_shows_no_broken_picture(clinician, patient):
    own = ExerciseFactory(clinic=clinician.clinic, name="Wall sit", slug="side-plank-knee")
    program_assign(
        clinician=clinician,
        patient=patient,
        items=[ItemInput(exercise=own), ItemInput(exercise=library_exercise("hip-hike"))],
        start_date=date(2026, 3, 1),
        review_date=date(2026, 3, 1) + timedelta(days=28),
    )

    # Even a clinic exercise whose slug matches a library one borrows no drawing.
    assert illustration_for(own) is None
    html = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert "Wall sit" in html
    assert IMG.findall(html) == pictures(html)
    (shown,) = pictures(html)
    assert "exercises/hip-hike.svg" in shown
    assert 'src=""' not in html


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against white."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_what_a_drawing_shows_stands_out_from_white():
    # Decoration only: the panel frame, fills behind outlines, the faint start position and
    # the hop's shadow. Everything else (body, limbs, bands, arrows, equipment outlines) must meet
    # the 3:1 contrast WCAG asks of graphics that carry meaning.
    decorative = {"#ffffff", FRAME, GHOST, KIT_FILL, "#adb5bd"}
    seen = set()
    for exercise in library():
        for element in parse(drawing_file(exercise)).iter():
            for attr in ("stroke", "fill"):
                colour = element.get(attr, "none")
                if colour != "none" and colour not in decorative:
                    seen.add(colour)

    assert seen >= {INK, FAR, BAND, ARROW}
    for colour in seen:
        assert contrast_on_white(colour) >= 3, colour


def test_a_drawing_missing_from_the_manifest_is_absent_not_an_error(settings, monkeypatch):
    """Production: a drawing added after collectstatic shows no picture until the next one."""
    from django.contrib.staticfiles import storage as staticfiles

    from apps.exercises import illustrations
    from apps.exercises.models import Exercise

    settings.DEBUG = False
    exercise = Exercise.objects.filter(clinic=None).first()

    def no_manifest_entry(path):
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(staticfiles.staticfiles_storage, "url", no_manifest_entry)
    illustrations._exists.cache_clear()
    try:
        assert illustrations.illustration_for(exercise) is None
    finally:
        illustrations._exists.cache_clear()
