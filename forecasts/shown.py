"""The open events as the pages and the API show them: the trader's view (forecasts/markets/trader.py)
with no number of ours on an event whose list is too old for its week (forecasts/freshness.py)."""

from forecasts.markets.trader import cost_of, open_events


def open_events_shown() -> list[dict]:
    """A batch stored before the freshness rule, from a list too old for the week, is still compared
    (basis.hideOurs): its probability, edge, EV and Kelly stake are dropped here, and on the comparison
    object in memory (never saved: the stored row keeps what was compared) so the API's `ours` agrees."""
    events = open_events()
    for e in events:
        if not (e["basis"] or {}).get("hideOurs"):
            continue
        for o in e["outcomes"]:
            c = o["comparison"]
            c.ours, c.ours_from_new_show = None, False  # diff (a property) follows ours
            o["ours"] = None
            o["cost"] = cost_of(ours=None, bid=o["bid"], ask=o["ask"], market=c.market)
    return events
