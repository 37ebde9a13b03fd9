"""One unit on /forecasts (issue 20): prices, probabilities, edges and EV all in percent through one
filter (forecasts/templatetags/odds.py), and ours as prominent as the market's price."""

import re
from pathlib import Path

import pytest

from forecasts.templatetags.odds import pct
from tests.forecasts.test_market_comparison import _one_series, shows  # noqa: F401 - fixtures
from tests.forecasts.test_market_trader_view import compared  # noqa: F401 - fixture

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [
        (0.725, "", "72.5%"),
        (0.73, "", "73%"),
        (0.5, "", "50%"),
        (1, "", "100%"),
        (0, "", "0%"),
        (0.0004, "", "<0.1%"),  # not 0%: a price of exactly 0 means no bid
        (0.9999, "", ">99.9%"),
        (-0.24, "+", "\u221224%"),
        (0.21, "+", "+21%"),
        (0.1955, "+2", "+19.55%"),
        (None, "", "–"),
        ("", "+", "–"),
    ],
)
def test_pct_shows_a_dollar_price_or_a_probability_in_percent(value, spec, shown):
    assert pct(value, spec) == shown


def test_the_forecasts_page_shows_prices_and_probabilities_in_percent_only(client, compared):  # noqa: F811
    page = client.get("/forecasts/").content.decode()
    row = re.search(r'<tr data-ticker="KXNETFLIXRANKSHOW-26JUL20-LIT">.*?</tr>', page, re.S)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    # Outcome, ours, bid, ask, mid, edge yes, edge no, fee, EV yes, EV no, Kelly, moved by
    assert cells[1:7] == ["50%", "71%", "74%", "72.5%", "\u221224%", "+21%"]
    assert cells[8:11] == ["\u221225.35%", "+19.55%", "no 7% of bankroll"]
    assert "Kelly is 25% of the full Kelly stake" in page  # KELLY_FRACTION 0.25
    assert "¢" not in page
    assert not re.search(r"<td[^>]*>0\.\d+</td>", page), "a bare decimal price or probability"


def test_ours_is_styled_as_prominently_as_the_price():
    rules = dict(re.findall(r"^\.(ours|price) \{([^}]*)\}", CSS.read_text(), re.M))
    assert "font-weight: 600" in rules["ours"] and "font-weight: 600" in rules["price"]
    assert "muted" not in rules["ours"] and "font-size" not in rules["ours"]
