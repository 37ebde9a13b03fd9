"""Read-only API: our probability beside each Kalshi market's, and the live track record."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts.markets.price_history import market_history
from forecasts.selectors import track_record, track_record_overall, track_record_reliability
from forecasts.shown import open_events_shown
from sources.models import Market


class ComparisonSerializer(serializers.Serializer):
    ticker = serializers.CharField(source="market.ticker")
    event = serializers.CharField(source="market.event_ticker")
    outcome = serializers.CharField(source="market.outcome")
    series = serializers.CharField()
    list = serializers.CharField(source="list_name")
    rank = serializers.IntegerField()
    week = serializers.DateField()
    ours = serializers.FloatField(allow_null=True)
    oursFromNewShow = serializers.BooleanField(source="ours_from_new_show")
    market = serializers.FloatField(source="market_price", allow_null=True, help_text="Mid of bid and ask.")
    diff = serializers.FloatField(allow_null=True, help_text="ours - market")
    predictionMadeAt = serializers.DateTimeField(source="prediction_made_at", allow_null=True)
    priceObservedAt = serializers.DateTimeField(source="price_observed_at", allow_null=True)
    settlesOn = serializers.SerializerMethodField(
        help_text="Parsed from the market's rules text and close time; parsed=false when they cannot be."
    )
    cost = serializers.SerializerMethodField(
        help_text="Buying yes at the ask or no at 1 - bid: fee per order of `contracts`, EV per contract "
        "after it, fractional Kelly; vwap: the price of `contracts` walked through the stored order book "
        "(null where no book is stored, it is thinner, or it disagrees with the quote or is older: "
        "book.reason says why); feeSchedule: the series' fee type, "
        "multiplier and taker rate in force (and makerRate; the cost is a taker's), from the series or its "
        "latest fee change. Informational only."
    )
    field = serializers.SerializerMethodField(
        help_text="The event's listed outcomes: ask and bid sums, our P(winner unlisted), flags."
    )

    basis = serializers.SerializerMethodField(
        help_text="What our probability stood on: the model, for the US lists how many of the week's seven "
        "daily lists it read and on how many earlier weeks their weights were fit, for the global lists the "
        "signals used, and the features (weight x value) that moved this outcome most."
    )

    def _extra(self, c) -> dict:
        return self.context["extras"][c.market.ticker]

    def get_settlesOn(self, c) -> dict:
        return self._extra(c)["settlesOn"]

    def get_cost(self, c) -> dict:
        return self._extra(c)["cost"]

    def get_field(self, c) -> dict:
        return self._extra(c)["field"]

    def get_basis(self, c) -> dict | None:
        b, moved = self._extra(c)["basis"], self._extra(c)["movedBy"]
        if b is None:
            return None
        if "model" not in b:  # no batch stored: only why there is none (forecasts/freshness.py)
            return {"noProbability": b["noProbability"]}
        daily = b["daily"] or {}
        return {
            "model": b["model"],
            "madeAt": b["madeAt"].isoformat(),
            "dailyListsSeen": daily.get("lists_seen"),
            "dailyListsOf": daily.get("of"),
            "dailyListsCaption": daily.get("caption"),
            "dailyFitWeeks": daily.get("fit_weeks"),
            "signalsUsed": b["signalsUsed"],
            "movedBy": [{"feature": name, "logOdds": part} for name, part in moved],
            # Set when the list is too old for the week: then no probability of ours is given.
            "noProbability": b.get("noProbability"),
        }


class ScoresSerializer(serializers.Serializer):
    brier = serializers.FloatField()
    logloss = serializers.FloatField()


class OverallSerializer(serializers.Serializer):
    markets = serializers.IntegerField(help_text="Settled markets where both sides had a probability.")
    events = serializers.IntegerField()
    ours = serializers.SerializerMethodField()
    market = serializers.SerializerMethodField()

    def _scores(self, row, side: str) -> dict[str, float | None]:
        return {"brier": row[f"{side}_brier"], "logloss": row[f"{side}_logloss"]}

    def get_ours(self, row) -> dict[str, float | None]:
        return self._scores(row, "ours")

    def get_market(self, row) -> dict[str, float | None]:
        return self._scores(row, "market")


class BinSerializer(serializers.Serializer):
    low = serializers.FloatField()
    high = serializers.FloatField()
    markets = serializers.IntegerField()
    predicted = serializers.FloatField(allow_null=True, help_text="Mean probability the side gave.")
    observed = serializers.FloatField(allow_null=True, help_text="Share of the bin that settled yes.")


class ReliabilitySerializer(serializers.Serializer):
    bins = serializers.IntegerField()
    ours = BinSerializer(many=True)
    market = BinSerializer(many=True)


class TrackRecordSerializer(serializers.Serializer):
    series = serializers.CharField()
    list = serializers.CharField(source="list_name")
    rank = serializers.IntegerField()
    markets = serializers.IntegerField(help_text="Settled markets where both sides had a probability.")
    events = serializers.IntegerField()
    ours = serializers.SerializerMethodField()
    market = serializers.SerializerMethodField()

    def get_ours(self, row) -> dict[str, float]:
        return {"brier": row["ours_brier"], "logloss": row["ours_logloss"]}

    def get_market(self, row) -> dict[str, float]:
        return {"brier": row["market_brier"], "logloss": row["market_logloss"]}


class TrackRecordResponseSerializer(serializers.Serializer):
    series = TrackRecordSerializer(many=True)
    overall = OverallSerializer()
    reliability = ReliabilitySerializer()
    minutesBeforeClose = serializers.IntegerField(
        help_text="Both sides are scored this many minutes before the close."
    )


class PointSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    p = serializers.FloatField()


class MarketLinesSerializer(serializers.Serializer):
    mid = PointSerializer(many=True, help_text="Mid of yes bid and ask per Kalshi run, else the last trade.")
    trade = PointSerializer(many=True, help_text="Last trade of each hourly candle, at the hour's end.")


class HistorySerializer(serializers.Serializer):
    ticker = serializers.CharField()
    closeTime = serializers.DateTimeField(allow_null=True)
    market = MarketLinesSerializer()
    ours = PointSerializer(many=True, help_text="Our probability after each stored prediction batch.")


def _points(line) -> list[dict]:
    return [{"at": at, "p": p} for at, p in line]


class ForecastMarketsView(APIView):
    """Open Kalshi rank markets: our probability, the market's (mid of bid and ask), the difference,
    what each settles on, the field of its event and the cost of acting on it."""

    @extend_schema(responses=ComparisonSerializer(many=True))
    def get(self, request):
        rows, extras = [], {}
        for event in open_events_shown():
            for o in event["outcomes"]:
                rows.append(o["comparison"])
                extras[o["ticker"]] = {
                    "settlesOn": o["settlesOn"],
                    "cost": o["cost"],
                    "field": event["field"],
                    "basis": event["basis"],
                    "movedBy": o["movedBy"],
                }
        return Response(ComparisonSerializer(rows, many=True, context={"extras": extras}).data)


class TrackRecordView(APIView):
    """Settled markets scored with the same Brier score and log loss for both sides, on the price and
    probability known TRACK_RECORD_MINUTES_BEFORE_CLOSE before the close: per series, overall, and the
    reliability of each side (predicted vs observed frequency in equal bins of [0, 1])."""

    @extend_schema(responses=TrackRecordResponseSerializer)
    def get(self, request):
        data = {
            "series": track_record(),
            "overall": track_record_overall(),
            "reliability": track_record_reliability(),
            "minutesBeforeClose": settings.TRACK_RECORD_MINUTES_BEFORE_CLOSE,
        }
        return Response(TrackRecordResponseSerializer(data).data)


class MarketHistoryView(APIView):
    """One market's price over time (quotes and hourly candles) and our probability over time."""

    @extend_schema(responses=HistorySerializer)
    def get(self, request, ticker: str):
        h = market_history(market=get_object_or_404(Market, ticker=ticker))
        data = {
            "ticker": h["ticker"],
            "closeTime": h["closeTime"],
            "market": {k: _points(v) for k, v in h["market"].items()},
            "ours": _points(h["ours"]),
        }
        return Response(HistorySerializer(data).data)
