"""Read-only API: our probability beside each Kalshi market's, and the live track record."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import track_record
from .trader import open_events


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
        "after it, fractional Kelly; vwap null while no order book is stored. Informational only."
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
        daily = b["daily"] or {}
        return {
            "model": b["model"],
            "madeAt": b["madeAt"].isoformat(),
            "dailyListsSeen": daily.get("lists_seen"),
            "dailyListsOf": daily.get("of"),
            "dailyFitWeeks": daily.get("fit_weeks"),
            "signalsUsed": b["signalsUsed"],
            "movedBy": [{"feature": name, "logOdds": part} for name, part in moved],
        }


class ScoresSerializer(serializers.Serializer):
    brier = serializers.FloatField()
    logloss = serializers.FloatField()


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


class ForecastMarketsView(APIView):
    """Open Kalshi rank markets: our probability, the market's (mid of bid and ask), the difference,
    what each settles on, the field of its event and the cost of acting on it."""

    @extend_schema(responses=ComparisonSerializer(many=True))
    def get(self, request):
        rows, extras = [], {}
        for event in open_events():
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
    """Per series, settled markets scored with the same Brier score and log loss for both sides."""

    @extend_schema(responses=TrackRecordSerializer(many=True))
    def get(self, request):
        return Response(TrackRecordSerializer(track_record(), many=True).data)
