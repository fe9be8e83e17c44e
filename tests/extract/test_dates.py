"""Time expressions: partial ISO dates where the text pins one, words where it does not."""

import pytest

from fhirsvc.extract.dates import find_times


@pytest.mark.parametrize(
    ("text", "date"),
    [("in 2016", "2016"), ("in November 2023", "2023-11"), ("on 25 November 2023", "2023-11-25"),
     ("on November 25, 2023", "2023-11-25")],
)
def test_calendar_dates_become_partial_iso_dates(text: str, date: str) -> None:
    assert [w.date for w in find_times(text)] == [date]


@pytest.mark.parametrize(
    "text",
    ["7 years later", "about 3 weeks after the transplant", "last year", "on day 5",
     "A few months later", "for more than 7 years"],
)
def test_relative_times_keep_their_words(text: str) -> None:
    (when,) = find_times(text)
    assert when.date is None and when.relative is not None
    assert when.relative.lower() in text.lower()


def test_numbers_that_are_not_years_are_not_dates() -> None:
    assert find_times("a dose of 2000 mg and 1500 patients") == []


@pytest.mark.parametrize(
    "text",
    ["in January this year", "In February this year", "since March last year",
     "on June 5 this year", "at the end of last year", "earlier this year"],
)
def test_a_month_or_part_of_a_year_counted_from_the_year_of_writing_is_a_relative_time(
    text: str,
) -> None:
    (when,) = find_times(f"He was admitted {text}, with fever.")
    assert (when.date, when.relative) == (None, text)


def test_a_modal_may_before_this_year_is_no_month() -> None:
    assert find_times("Symptoms may this year be worse.") == []
