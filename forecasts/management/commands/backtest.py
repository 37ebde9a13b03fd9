"""`manage.py backtest --tudum-tsv PATH [--list "TV (English)"] [--from WEEK] [--to WEEK] [--json]`."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from forecasts.backtest import run_backtest
from forecasts.history import GLOBAL_LISTS, HistoryError, load_history

METHODS = ("model", "persistence", "decay")
SCORES = ("top1", "top2", "spearman", "brier", "logloss")


def _week(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2024-01-01") from None


class Command(BaseCommand):
    help = (
        "Walk forward over a Netflix all-weeks-global.tsv: for each week fit on earlier weeks only, predict "
        "#1, and score the model and two baselines. Without --list, every global list is run (with --json, "
        "one JSON object per line)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tudum-tsv", required=True, help="path of an all-weeks-global.tsv file")
        parser.add_argument("--list", dest="lists", action="append", help='e.g. "TV (English)"; repeatable')
        parser.add_argument("--from", dest="start", type=_week, help="first scored week (inclusive)")
        parser.add_argument("--to", dest="end", type=_week, help="last scored week (inclusive)")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print JSON instead of a table"
        )

    def handle(self, *args, tudum_tsv, lists, start, end, as_json=False, **options):
        try:
            history = load_history(tudum_tsv)
        except HistoryError as exc:
            raise CommandError(str(exc)) from None
        for name in lists or [n for n in GLOBAL_LISTS if n in history]:
            if name not in history:
                raise CommandError(f"no list {name!r} in the file; it has: {', '.join(sorted(history))}")
            scores = run_backtest(history[name], start=start, end=end)
            result = {"weeks": scores.pop("weeks"), "list": name, **scores}
            if result["weeks"] == 0:
                raise CommandError(f"{name}: no week to score between {start} and {end}")
            self.stdout.write(_as_json(result) if as_json else _as_table(result))


def _as_json(result: dict) -> str:
    return json.dumps(result)


def _as_table(result: dict) -> str:
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
