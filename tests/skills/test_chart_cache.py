"""The skills charts are kept once drawn, keyed by everything they draw."""

from types import SimpleNamespace

from lms.skills import charts


def group(levels, targets, category_id=1):
    rows = [
        SimpleNamespace(skill=SimpleNamespace(name=f"Skill {n}"), level=lv, target=t)
        for n, (lv, t) in enumerate(zip(levels, targets, strict=True))
    ]
    return SimpleNamespace(category=SimpleNamespace(id=category_id), skills=rows)


def test_the_same_levels_and_targets_reuse_the_drawn_chart():
    first = charts.category_chart(group([2, 3], [3, 4]), True, 10)
    again = charts.category_chart(group([2, 3], [3, 4]), True, 10)
    assert again is first


def test_a_changed_level_or_target_draws_a_new_chart():
    before = charts.category_chart(group([2, 3], [3, 4]), True, 10)
    level_moved = charts.category_chart(group([2, 4], [3, 4]), True, 10)
    target_moved = charts.category_chart(group([2, 3], [3, 5]), True, 10)
    assert "now 4" in level_moved and "now 4" not in before
    assert "target 5" in target_moved and "target 5" not in before


def test_a_chart_without_a_goal_draws_no_target_whatever_the_rows_hold():
    plain = charts.category_chart(group([2, 3], [3, 4]), False, 10)
    assert "target" not in plain.replace("target-hatch", "")


def test_each_category_keeps_its_own_hatch():
    one = charts.category_chart(group([2], [3], category_id=1), True, 10)
    two = charts.category_chart(group([2], [3], category_id=2), True, 10)
    assert "target-hatch-1" in one and "target-hatch-2" in two
