"""The every-page crawl names pages by route pattern: ids, slugs and query values
collapse to one pattern, a link no GET answers is a problem, files are downloads."""

from __future__ import annotations

from lms import create_app
from tests.conftest import make_config
from tests.e2e.crawl import RouteIndex, is_download

BASE = "http://127.0.0.1:5000"


def _routes(tmp_path) -> RouteIndex:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path))
    return RouteIndex(app.url_map, BASE)


def test_ids_slugs_and_query_values_collapse_to_one_pattern(tmp_path):
    routes = _routes(tmp_path)
    assert routes.pattern(BASE + "/courses/a/modules/1") == routes.pattern(
        BASE + "/courses/b/modules/7"
    )
    assert routes.pattern(BASE + "/people/3") == "people.person"
    assert (
        routes.pattern(BASE + "/bank?page=2&category=x") == "quizzes.bank?category,page"
    )
    assert (
        routes.pattern(BASE + "/bank?category=y&page=9") == "quizzes.bank?category,page"
    )


def test_a_link_no_get_answers_is_a_problem(tmp_path):
    routes = _routes(tmp_path)
    assert routes.pattern(BASE + "/assessments/x/start").startswith("! 405")
    assert routes.pattern(BASE + "/no/such/page").startswith("! 404")


def test_same_origin_and_downloads(tmp_path):
    routes = _routes(tmp_path)
    assert routes.is_same_origin(BASE + "/bank")
    assert not routes.is_same_origin("https://example.com/bank")
    assert is_download(BASE + "/reports/exports/matrix.xlsx?team=1")
    assert is_download(BASE + "/api/v1/openapi.json")
    assert not is_download(BASE + "/reports/exports")
