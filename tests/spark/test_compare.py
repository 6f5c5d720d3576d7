"""The comparison the Spark test relies on catches what it must (runs in plain `make test`)."""

from __future__ import annotations

from decimal import Decimal

from tests.spark.compare import row_differences


def test_equal_multisets_in_any_order():
    rows = [("2080116", Decimal("32994.00"), 1287), ("2080116", Decimal("952.00"), 1096)]
    assert row_differences(rows, list(reversed(rows))) == ([], [])


def test_a_float_does_not_pass_for_a_decimal():
    only_left, only_right = row_differences([(Decimal("32994.00"),)], [(32994.0,)])
    assert only_left == [(("Decimal", Decimal("32994.00")),)] and only_right == [(("float", 32994.0),)]


def test_a_boolean_does_not_pass_for_a_count():
    assert row_differences([(1,)], [(True,)]) != ([], [])


def test_a_cent_and_a_duplicate_count():
    assert row_differences([(Decimal("22557.92"),)], [(Decimal("22557.93"),)]) != ([], [])
    only_left, only_right = row_differences([("a",), ("a",)], [("a",)])
    assert only_left == [(("str", "a"),)] and only_right == []


def test_strings_compare_exactly():
    assert row_differences([("其他福利支出",)], [("其他福利支出 ",)]) != ([], [])


def test_same_amount_at_another_scale_is_equal():
    assert row_differences([(Decimal("3200.00"),)], [(Decimal("3200.0000"),)]) == ([], [])
