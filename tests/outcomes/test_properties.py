"""Properties every scoring rule keeps, whatever the answers: scores stay on the instrument's
scale, and answering one item better never lowers a score."""

from hypothesis import given
from hypothesis import strategies as st

from apps.outcomes.instruments import INSTRUMENTS, Instrument
from apps.outcomes.rules import score

SCORED = sorted(INSTRUMENTS)


def _value(spec: Instrument) -> st.SearchStrategy[int | float]:
    whole = st.integers(spec.low, spec.high)
    if not spec.whole_numbers:  # a slider may land between whole numbers
        return whole | st.floats(spec.low, spec.high, allow_nan=False)
    return whole


@st.composite
def instrument_and_answers(draw, *, complete: bool = False):
    spec = INSTRUMENTS[draw(st.sampled_from(SCORED))]
    answer = _value(spec) if complete else st.none() | _value(spec)
    return spec, {item: draw(answer) for item in spec.scored_items}


@given(instrument_and_answers())
def test_every_score_stays_on_the_instruments_scale(drawn):
    spec, answers = drawn
    for subscale in score(spec.code, answers).subscales:
        if subscale.value is not None:
            # 0–100 for HAGOS, HOOS-12, iHOT-12 and the hip rating; 0–10 for PSFS; ±7 for GRC
            assert spec.score_low <= subscale.value <= spec.score_high


@st.composite
def one_answer_made_better(draw):
    """Answers, and the same answers with one item moved towards better (a missing item is first
    given the worst answer, so that it has somewhere to improve from)."""
    spec, answers = draw(instrument_and_answers())
    item = draw(st.sampled_from(spec.scored_items))
    worst = spec.high if spec.lower_is_better else spec.low
    old = worst if answers[item] is None else answers[item]
    # HAGOS and HOOS items: 0 = no problems, so better is lower; the others: higher is better
    if spec.lower_is_better:
        new = draw(st.integers(spec.low, int(old)))
    elif isinstance(old, float):
        new = draw(st.floats(old, spec.high))
    else:
        new = draw(st.integers(old, spec.high))
    return spec, answers | {item: old}, answers | {item: new}


@given(one_answer_made_better())
def test_answering_one_item_better_never_lowers_a_score(drawn):
    spec, before, after = drawn
    worse, better = score(spec.code, before), score(spec.code, after)
    for was, now in zip(worse.subscales, better.subscales, strict=True):
        if was.value is not None:
            assert now.value is not None
            assert now.value >= was.value - 1e-9
