from decimal import Decimal

import pytest

from planner.core.money import format_gbp, format_gbp_short, parse_pounds, pounds


@pytest.mark.parametrize(
    ("text", "pence"),
    [("1250", 125000), ("£1,250.00", 125000), (" 0.015 ", 2), ("0.005", 1), (99.99, 9999), (Decimal("7.1"), 710)],
)
def test_parse_pounds_reads_what_people_write(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "-5", "1.2.3", True])
def test_parse_pounds_refuses_non_amounts_naming_them(text):
    with pytest.raises(ValueError, match="amount of money|negative"):
        parse_pounds(text)


def test_pounds_and_format_agree_to_the_penny():
    assert pounds(123456789) == Decimal("1234567.89")
    assert format_gbp(123456789) == "£1,234,567.89"
    assert format_gbp(-1200) == "-£12.00"
    assert format_gbp_short(123_456_789) == "£1.23m"
    assert format_gbp_short(4_560_000) == "£45.6k"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e30", "is more than £1,000,000,000"),
        ("12345678901234567890123456789", "is more than £1,000,000,000"),
        ("1e300", "is more than £1,000,000,000"),
        ("5_3.8", "is not an amount of money"),
        ("sNaN", "is not an amount of money"),
        ("１２", "is not an amount of money"),
        ("1e-99999999999999999999", "is not an amount of money"),
        ("-5", "is negative"),
        ("9" * 5000, "…"),  # a long value is shortened in the message
    ],
)
def test_amounts_no_network_could_cost_are_refused_in_plain_words(text, message):
    with pytest.raises(ValueError, match=message) as caught:
        parse_pounds(text)
    assert len(str(caught.value)) < 120
