"""Counts of the fault suite, printed as one line at the end of the session (docs/reliability.md)."""

from collections import Counter

TALLY: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    terminalreporter.write_line(
        "fault suite: {tried} faults tried, {survived} runs survived, {lost} rows lost, "
        "{invented} rows invented or duplicated, {errors} 500s".format(
            tried=TALLY["tried"],
            survived=TALLY["survived"],
            lost=TALLY["lost"],
            invented=TALLY["invented"],
            errors=TALLY["500s"],
        )
    )
