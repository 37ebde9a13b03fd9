"""The field of one event: what its listed outcomes' prices add up to, and how likely we think it is
that the winner is none of them. Pure.

A scanner that sees an "85¢ lock" on one outcome without noticing that the listed asks sum to 0.3
misses that the market leaves most of the field unlisted; so does one whose leader is not listed.
"""


def _total(values: list[float | None]) -> float | None:
    return round(sum(values), 6) if values and all(v is not None for v in values) else None


def event_field(
    outcomes: list[dict], *, leader_listed: bool | None, leader_title: str = "", ask_floor: float
) -> dict:
    """`outcomes`: every listed outcome of the event with its `bid`, `ask` and `ours` (None when
    unknown). A sum is given only when every outcome has the value: a partial sum would understate."""
    ask_sum = _total([o.get("ask") for o in outcomes])
    bid_sum = _total([o.get("bid") for o in outcomes])
    ours_listed = _total([o.get("ours") for o in outcomes])
    p_unlisted = None if ours_listed is None else round(max(0.0, 1 - ours_listed), 6)
    flags = []
    if leader_listed is False:
        flags.append(f"our most likely winner{f' ({leader_title})' if leader_title else ''} is not listed")
    if ask_sum is not None and ask_sum < ask_floor:
        flags.append(f"the listed asks sum to {ask_sum:.2f}, below {ask_floor:.2f}")
    return {
        "outcomes": len(outcomes),
        "askSum": ask_sum,
        "bidSum": bid_sum,
        "oursUnlisted": p_unlisted,
        "leaderListed": leader_listed,
        "leader": leader_title or None,
        "flagged": bool(flags),
        "flags": flags,
    }


def ladder_field(outcomes: list[dict]) -> dict:
    """The field of a views event: its markets are strikes of one ladder ("#1 has at least N
    views"), so their prices need not sum to 1, but P(yes) must not rise with N. `outcomes`: each
    with its `strike`, `bid` and `ask`. Flags a market that bids a higher strike above the ask of a
    lower one: yes on the lower and no on the higher would then pay whatever the #1's views."""
    ladder = sorted((o for o in outcomes if o.get("strike") is not None), key=lambda o: o["strike"])
    flags = []
    for i, low in enumerate(ladder):
        for high in ladder[i + 1 :]:
            if low.get("ask") is not None and high.get("bid") is not None and high["bid"] > low["ask"]:
                flags.append(
                    f"the market bids at least {high['strike'] / 1e6:g}M views ({high['bid']:.2f}) above "
                    f"the ask of at least {low['strike'] / 1e6:g}M ({low['ask']:.2f})"
                )
    return {
        "outcomes": len(outcomes),
        "ladder": True,
        "strikes": [o["strike"] for o in ladder],
        "askSum": None,
        "bidSum": None,
        "oursUnlisted": None,
        "leaderListed": None,
        "leader": None,
        "flagged": bool(flags),
        "flags": flags,
    }
