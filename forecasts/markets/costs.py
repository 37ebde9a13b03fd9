"""What acting on a price would cost: Kalshi's trading fee, expected value after it, a fractional
Kelly stake, and the average price of N contracts from an order book. Pure. Informational only:
nothing here or anywhere in the project places orders.

Kalshi's fee schedule: fee = round up(rate × C × P × (1 − P)) to the next cent, per order, with
rate 0.07 for takers (docs.kalshi.com getting_started/fee_rounding; kalshi.com fee schedule). Buying
at the ask takes liquidity, so the taker rate applies.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal


def trading_fee(*, contracts: int, price: float, rate: float) -> float:
    """Dollars for one order of `contracts` at `price`, rounded up to the cent. Decimal arithmetic:
    0.07 × 100 × 0.25 is 1.75 exactly, where floats give 1.7500000000000002 and a cent too much."""
    p = Decimal(str(price))
    fee = Decimal(str(rate)) * contracts * p * (1 - p)
    return float(fee.quantize(Decimal("0.01"), rounding=ROUND_CEILING))


def expected_value(*, p_win: float, price: float, contracts: int, rate: float) -> float:
    """Expected profit per contract bought at `price` that pays $1 with probability `p_win`, after
    the fee of an order of `contracts`."""
    return p_win - price - trading_fee(contracts=contracts, price=price, rate=rate) / contracts


def kelly_fraction(*, p_win: float, cost: float) -> float:
    """Full-Kelly share of bankroll for a contract costing `cost` (price plus fee per contract) that
    pays $1: (p − c) / (1 − c); 0 when the bet has no edge."""
    if cost >= 1 or p_win <= cost:
        return 0.0
    return (p_win - cost) / (1 - cost)


@dataclass(frozen=True)
class Fill:
    price: float | None  # volume-weighted average, None when the book holds no contract at all
    filled: float  # contracts available, at most the number asked for


def vwap_buy(opposite_bids: list[tuple[float, float]], contracts: float) -> Fill:
    """The average price of buying `contracts` on one side from the other side's resting bids.

    Kalshi's book lists bids only: a yes ask at 1 − p is a no bid at p, so buying yes walks the no
    bids from the highest down (docs.kalshi.com getting_started/orderbook_responses).
    """
    left, paid, filled = contracts, 0.0, 0.0
    for bid, size in sorted(opposite_bids, key=lambda level: -level[0]):
        take = min(left, size)
        paid += take * (1 - bid)
        filled += take
        left -= take
        if left <= 0:
            break
    return Fill(round(paid / filled, 6) if filled else None, filled)


def book_levels(orderbook_fp: dict, side: str) -> list[tuple[float, float]]:
    """[(price, contracts)] of one side of a GET /markets/{t}/orderbook `orderbook_fp` object."""
    levels = orderbook_fp.get(f"{side}_dollars") or []
    try:
        return [(float(price), float(size)) for price, size in levels]
    except (TypeError, ValueError):
        raise ValueError(f"order book {side}_dollars is not a list of [price, size] strings") from None


# Kalshi's finest tick is $0.0001 (subpenny prices): closer than half of it is the same price.
SAME_PRICE = 0.00005


def book_disagreement(orderbook_fp: dict, *, bid: float | None, ask: float | None) -> str:
    """Why the book is not the one behind this quote ("" when it is): its best yes bid must be the
    quote's bid and 1 − its best no bid the quote's ask (Kalshi quotes 0 for no bid and 1 for no ask).
    A book of another market or another moment would give an average price this quote never offered."""
    yes, no = book_levels(orderbook_fp, "yes"), book_levels(orderbook_fp, "no")
    book = {"bid": max((p for p, _ in yes), default=0.0), "ask": 1 - max((p for p, _ in no), default=0.0)}
    quote = {"bid": bid, "ask": ask}
    problems = [
        f"its {name} {book[name]:g} is not the quote's {quote[name]:g}"
        for name in ("bid", "ask")
        if quote[name] is not None and abs(book[name] - quote[name]) > SAME_PRICE
    ]
    return "the order book disagrees with the quote: " + "; ".join(problems) if problems else ""


def outcome_cost(
    *,
    ours: float | None,
    bid: float | None,
    ask: float | None,
    contracts: int,
    rate: float,
    kelly_share: float,
    orderbook_fp: dict | None = None,
) -> dict:
    """Edge, fee, EV and Kelly of buying yes at the ask or no at 1 − bid, for one outcome.

    With a book, what the order really pays is its average over the levels it takes (`vwap`): the EV
    there is given beside the top-of-book one, and the Kelly stake is sized on it, since an edge at the
    ask that the next levels eat is no edge for `contracts`. A side the book cannot fill gets no stake."""
    # Kalshi gives 0 for no bid and 1 for no ask: such a book has no mid (forecasts/comparisons.two_sided)
    mid = (bid + ask) / 2 if bid is not None and ask is not None and 0 < bid <= ask < 1 else None
    no_price = 1 - bid if bid is not None else None
    out: dict = {"contracts": contracts, "bid": bid, "ask": ask, "mid": mid, "ours": ours}
    sides = {"yes": (ours, ask), "no": (None if ours is None else 1 - ours, no_price)}
    book = None if orderbook_fp is None else book_cost(orderbook_fp, contracts)
    fee, ev, edge, kelly = {}, {}, {}, {"side": None, "fraction": 0.0, "price": None}
    for side, (p_win, price) in sides.items():
        usable = price is not None and 0 < price < 1
        fee[side] = trading_fee(contracts=contracts, price=price, rate=rate) if usable else None
        edge[side] = p_win - price if usable and p_win is not None else None
        ev[side] = _ev(p_win, price, contracts, rate)
        paid = price if book is None else book[side]  # None: the book is thinner than the order
        if book is not None:
            book[f"ev{side.title()}"] = _ev(p_win, paid, contracts, rate)
        paid_ev = _ev(p_win, paid, contracts, rate)
        if paid_ev is not None and paid_ev > 0:
            cost = paid + trading_fee(contracts=contracts, price=paid, rate=rate) / contracts
            stake = kelly_share * kelly_fraction(p_win=p_win, cost=cost)
            if stake > kelly["fraction"]:
                kelly = {"side": side, "fraction": stake, "price": paid}
    out |= {"edgeYes": edge["yes"], "edgeNo": edge["no"], "fee": fee, "evYes": ev["yes"], "evNo": ev["no"]}
    out["kelly"] = kelly
    out["vwap"] = book
    return out


def _ev(p_win: float | None, price: float | None, contracts: int, rate: float) -> float | None:
    if p_win is None or price is None or not 0 < price < 1:
        return None
    return expected_value(p_win=p_win, price=price, contracts=contracts, rate=rate)


def book_cost(orderbook_fp: dict, contracts: int) -> dict:
    """The average price of `contracts` yes (from the no bids) and no (from the yes bids). A side
    whose book holds fewer contracts has no price, and says why: a partial average would look
    cheaper than the order really is."""
    out: dict = {"contracts": contracts}
    for side, opposite in (("yes", "no"), ("no", "yes")):
        fill = vwap_buy(book_levels(orderbook_fp, opposite), contracts)
        thin = fill.filled < contracts
        out[side] = None if thin else fill.price
        out[f"{side}Filled"] = fill.filled
        out[f"{side}Reason"] = (
            f"the book holds {fill.filled:g} of {contracts} contracts to buy {side}" if thin else ""
        )
    return out
