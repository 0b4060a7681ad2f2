"""The sparklines read without the picture, and the pager pages."""

from __future__ import annotations

from lms.reports.charts import percent, sparkline
from lms.reports.paging import pager


def test_a_sparkline_names_every_value_and_the_latest():
    spark = sparkline([60.0, 75.0, 70.0], "Quiz score", percent)

    assert spark.latest == "70 %"
    assert spark.change == -5.0
    assert (
        'aria-label="Quiz score, last 3 results oldest first: 60 %, 75 %, 70 %"'
        in spark.svg
    )
    assert 'role="img"' in spark.svg and "<title>" in spark.svg
    assert "<script" not in spark.svg


def test_a_single_value_draws_a_point_and_an_empty_series_nothing():
    one = sparkline([5000.0], "Net KPH", lambda v: f"{v:,.0f}")

    assert "<polyline" not in one.svg and "<circle" in one.svg
    assert one.change is None
    assert sparkline([], "Net KPH", str) is None


def test_a_flat_series_stays_inside_the_chart():
    spark = sparkline([80.0, 80.0], "Quiz score", percent)

    assert 'points="3.0,11.0 77.0,11.0"' in spark.svg


def test_labels_are_escaped():
    spark = sparkline([1.0, 2.0], '<b>"x"</b>', str)

    assert "<b>" not in spark.svg and "&lt;b&gt;" in spark.svg


def test_the_pager_keeps_the_page_in_range_and_elides_long_runs():
    assert pager(None, 0).page == 1 and pager(None, 0).pages == 1
    assert pager(9, 120).page == 3  # past the end: the last page
    long = pager(10, 50 * 20)

    assert list(long.iter_pages()) == [1, 2, None, 8, 9, 10, 11, 12, None, 19, 20]
    assert (long.first, long.last) == (451, 500)
    assert long.prev_num == 9 and long.next_num == 11
