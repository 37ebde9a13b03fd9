from datetime import date
from pathlib import Path

import pytest

REAL_HISTORY = (
    Path(__file__).resolve().parents[2] / "data" / "tudum" / "all-weeks-global.until-2025-08-10.tsv"
)


def history_slice(first: date, last: date) -> str:
    """The real file's header and its rows of weeks first..last: a small, fast, real history."""
    lines = REAL_HISTORY.read_text().splitlines()
    rows = [line for line in lines[1:] if first.isoformat() <= line[:10] <= last.isoformat()]
    return "\n".join([lines[0], *rows]) + "\n"


@pytest.fixture
def slice_tsv(tmp_path):
    """Sept 2023 – June 2024: 12 weeks of history, then the first half of 2024 to score."""
    path = tmp_path / "all-weeks-global.tsv"
    path.write_text(history_slice(date(2023, 9, 1), date(2024, 6, 30)))
    return path
