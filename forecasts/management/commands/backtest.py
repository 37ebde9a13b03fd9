"""`manage.py backtest --tudum-tsv GLOBAL [--country-tsv COUNTRIES [--daily-ranks PATH [--daily-lag-days N]]]
[--list NAME]... [--from WEEK] [--to WEEK] [--views] [--json]`."""

import json
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forecasts.backtests.global_lists import run_backtest
from forecasts.backtests.us_lists import file_charts, run_us_backtest
from forecasts.backtests.viewership import METHODS as VIEWS_METHODS
from forecasts.backtests.viewership import run_views_backtest, summary
from forecasts.history.global_lists import GLOBAL_LISTS, HistoryError, load_history
from forecasts.history.us_lists import US_LISTS, global_ranks, load_country_history
from sources.imports.daily_ranks import DailyRanksError, parse_daily_ranks

METHODS = ("model", "persistence", "decay")
US_METHODS = ("model", "history", "persistence")
SCORES = ("top1", "top2", "spearman", "brier", "logloss")
US_SCORES = ("top1", "top2", "brier", "logloss")
US_KIND = {"US TV": "tv", "US Films": "films"}


def _week(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2024-01-01") from None


class Command(BaseCommand):
    help = (
        "Walk forward over Netflix's Top 10 history: for each week fit on earlier weeks only, predict #1, "
        "and score the model against baselines. Global lists from --tudum-tsv; the US lists ('US TV', "
        "'US Films') also need --country-tsv, and use --daily-ranks (the daily US Top 10) for the nowcast. "
        "Without --list, every global list is run (and the US lists with --country-tsv); with --json, one "
        "JSON object per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tudum-tsv", required=True, help="path of an all-weeks-global.tsv file")
        parser.add_argument("--country-tsv", help="path of an all-weeks-countries.tsv file (the US lists)")
        parser.add_argument("--daily-ranks", help="path of a daily US Top 10 CSV (data/README.md)")
        parser.add_argument(
            "--daily-lag-days",
            type=int,
            default=None,
            help="days after it is shown that a daily list can be read (default: the live setting "
            "FLIXPATROL_PUBLICATION_LAG_DAYS; 0 = all seven lists of the week, 1 = not the Monday one)",
        )
        parser.add_argument(
            "--feature-set",
            choices=["rule", "points", "points+rank", "all"],
            help="the nowcast's features: 'rule' (the default) chooses a set per week on earlier weeks "
            "only (forecasts/engines/feature_choice.py); a set's name fixes it",
        )
        parser.add_argument("--list", dest="lists", action="append", help='e.g. "TV (English)"; repeatable')
        parser.add_argument("--from", dest="start", type=_week, help="first scored week (inclusive)")
        parser.add_argument("--to", dest="end", type=_week, help="last scored week (inclusive)")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print JSON instead of a table"
        )
        parser.add_argument(
            "--views",
            action="store_true",
            help="score P(the #1 has at least N views) on a strike ladder (the views markets) instead",
        )

    def handle(self, *args, tudum_tsv, lists, start, end, as_json=False, **options):
        country_tsv, daily_path = options.get("country_tsv"), options.get("daily_ranks")
        if daily_path and not country_tsv:
            raise CommandError("--daily-ranks needs --country-tsv (the weekly US lists it is scored on)")
        try:
            history = load_history(tudum_tsv)
            us = load_country_history(country_tsv) if country_tsv else {}
        except HistoryError as exc:
            raise CommandError(str(exc)) from None
        if options.get("views"):
            return self._views(history, lists, start, end, as_json)
        rows = _daily_rows(daily_path) if daily_path else []
        names = lists or [n for n in GLOBAL_LISTS if n in history] + [n for n in US_LISTS if n in us]
        for name in names:
            if name in US_LISTS:
                lag, feature_set = options.get("daily_lag_days"), options.get("feature_set")
                result = self._us(name, us, history, rows, start, end, country_tsv, lag, feature_set)
            elif name in history:
                scores = run_backtest(history[name], start=start, end=end)
                result = {"weeks": scores.pop("weeks"), "list": name, **scores}
            else:
                known = sorted(history) + sorted(US_LISTS)
                raise CommandError(f"no list {name!r}; known lists: {', '.join(known)}")
            if result["weeks"] == 0:
                raise CommandError(f"{name}: no week to score between {start} and {end}")
            self.stdout.write(json.dumps(result) if as_json else _as_table(result))

    def _views(self, history, lists, start, end, as_json) -> None:
        names = lists or [n for n in GLOBAL_LISTS if n in history]
        unknown = [n for n in names if n not in history]
        if unknown:
            raise CommandError(
                f"no global list {unknown[0]!r}; the views markets ask about {', '.join(history)}"
            )
        result = run_views_backtest({n: history[n] for n in names}, start=start, end=end)
        if not result.strikes:
            raise CommandError(f"no week ranked by views to score between {start} and {end}")
        for name in [*names, None] if len(names) > 1 else names:
            got = summary(result, name)
            self.stdout.write(json.dumps(got) if as_json else _views_table(got))

    def _us(self, name, us, history, rows, start, end, country_tsv, lag, feature_set=None) -> dict:
        if not country_tsv:
            raise CommandError(f"{name} needs --country-tsv (the weekly US lists)")
        if name not in us:
            raise CommandError(f"no {name} weeks in {country_tsv}")
        global_by_week = global_ranks([history[n] for n in US_LISTS[name][1] if n in history])
        charts = file_charts(rows, US_KIND[name])
        lag = settings.FLIXPATROL_PUBLICATION_LAG_DAYS if lag is None else lag
        if lag < 0:
            raise CommandError(f"--daily-lag-days {lag}: a list cannot be read before it is shown")
        scores = run_us_backtest(
            us[name],
            global_by_week,
            charts=charts,
            start=start,
            end=end,
            daily_lag_days=lag,
            feature_set=feature_set,
        )
        return {"list": name, **scores}


def _daily_rows(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return parse_daily_ranks(f.read())
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    except DailyRanksError as exc:
        raise CommandError(f"{path}: {exc}") from None


def _as_table(result: dict) -> str:
    if result["list"] in US_LISTS:
        daily_weeks = result["weeks_with_daily_lists"]
        lines = [
            f"{result['list']}: {result['weeks']} weeks ({daily_weeks} with daily lists); "
            f"features: {', '.join(result['features'])}"
        ]
        lines.append(f"  {'':12}" + "".join(f"{s:>10}" for s in US_SCORES))
        for method in US_METHODS:
            lines.append(f"  {method:12}" + "".join(f"{result[method][s]:>10.4f}" for s in US_SCORES))
        return "\n".join(lines)
    lines = [f"{result['list']}: {result['weeks']} weeks; features: {', '.join(result['features'])}"]
    lines.append(f"  {'':12}" + "".join(f"{s:>10}" for s in SCORES))
    for method in METHODS:
        lines.append(f"  {method:12}" + "".join(f"{result[method][s]:>10.4f}" for s in SCORES))
    rank2 = result["rank2"]
    lines.append("  P(#2), calibrated like P(#1): " + _rank2_line(rank2, METHODS))
    lines.append("  P(#2), model as simulated:    " + _rank2_line(rank2, ("model_uncalibrated",)))
    return "\n".join(lines)


def _rank2_line(rank2: dict, methods) -> str:
    return "; ".join(f"{m} brier {rank2[m]['brier']:.4f} logloss {rank2[m]['logloss']:.4f}" for m in methods)


def _views_table(s: dict) -> str:
    lines = [
        f"{s['list']}, P(#1 has at least N views): {s['weeks']} weeks "
        f"({s['first_week']} … {s['last_week']}), {s['all']['model']['strikes']} strikes"
    ]
    for method in ("model", "baseline"):
        got = s["all"][method]
        lines.append(f"  {method:18} brier {got['brier']:.4f}  logloss {got['logloss']:.4f}")
    lines.append(
        f"  the {s['calibrated_weeks']} weeks after the "
        f"{s['weeks'] - s['calibrated_weeks']} the calibration is first fit on:"
    )
    for method in VIEWS_METHODS:
        got = s["after_calibration"][method]
        if got["strikes"]:
            lines.append(f"  {method:18} brier {got['brier']:.4f}  logloss {got['logloss']:.4f}")
    lines.append("  reliability (said -> happened, strikes), after calibration weeks:")
    for method in VIEWS_METHODS:
        cells = [
            f"{b['predicted']:.2f}->{b['observed']:.2f} ({b['markets']})"
            for b in s["reliability"][method]
            if b["markets"]
        ]
        lines.append(f"  {method:18} " + "  ".join(cells))
    return "\n".join(lines)
