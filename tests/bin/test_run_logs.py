"""`make run` keeps its URL and login as the last lines of the terminal (issue 20): each process's output
goes to var/log/<name>.log, the terminal gets one line per process once it is up and then the banner."""

import io
import sys
from datetime import datetime

from honcho.printer import Message

from tests.processes import ROOT

sys.path.insert(0, str(ROOT / "bin"))
import run  # noqa: E402

BANNER = "\n  logs: var/log/\n  Kalshi-Predictions on http://127.0.0.1:8000/\n  admin: … login admin / pw\n"


def line(name: str, data) -> Message:
    return Message("line", data, datetime(2026, 12, 7, 21, 0, 0), name, None)


def feed(printer, messages) -> str:
    printer.output = terminal = io.StringIO()
    for m in messages:
        printer.write(m)
    return terminal.getvalue()


def test_process_output_goes_to_its_log_and_the_login_stays_last(tmp_path):
    printer = run.ReadyPrinter(BANNER, ["web", "worker", "beat"], tmp_path)
    shown = feed(
        printer,
        [
            line(None, "web started (pid=1)\n"),
            line("worker", b" -------------- celery@host v5\n[tasks]\n  . sources.tasks.run_source\n"),
            line("web", b"INFO:     Uvicorn running on http://127.0.0.1:8000\n"),
            line("worker", b"celery@host ready.\n"),
            line("beat", b"beat: Starting...\n"),
            # What used to scroll the banner away: every run's lines, after it.
            *[line("worker", f"Task sources.tasks.run_source[{i}] succeeded\n".encode()) for i in range(100)],
            line("web", b'INFO:     127.0.0.1:5000 - "GET / HTTP/1.1" 200 OK\n'),
        ],
    )

    last = shown.rstrip("\n").splitlines()
    assert last[-2:] == ["  Kalshi-Predictions on http://127.0.0.1:8000/", "  admin: … login admin / pw"]
    assert "succeeded" not in shown and "celery@host" not in shown
    assert f"  worker is up (log: {tmp_path / 'worker.log'})" in shown
    assert "web started (pid=1)" in shown  # honcho's own lines stay on the terminal
    worker = (tmp_path / "worker.log").read_text()
    assert worker.count("succeeded") == 100 and "21:00:00 worker | celery@host ready." in worker
    assert "GET / HTTP/1.1" in (tmp_path / "web.log").read_text()
    assert "web started (pid=1)" in (tmp_path / "system.log").read_text()


def test_the_log_of_the_process_that_stopped_is_shown_when_it_ends_everything(tmp_path):
    printer = run.ReadyPrinter(BANNER, ["web"], tmp_path)
    feed(
        printer,
        [line("web", b"Traceback (most recent call last):\nOSError: [Errno 98] address in use\n")]
        + [line(None, "web stopped (rc=1)\n")],
    )
    assert printer.first_stopped == "web"
    assert printer.tail("web").endswith("web | OSError: [Errno 98] address in use")


def test_without_a_log_dir_everything_goes_to_the_terminal_as_before():
    printer = run.ReadyPrinter(BANNER, ["web"])
    shown = feed(printer, [line("web", b"INFO:     Uvicorn running on http://x\n")])
    assert "Uvicorn running" in shown and shown.rstrip().endswith("login admin / pw")
