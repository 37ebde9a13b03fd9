"""`make test` runs the browser tests in a pytest process of their own, so no process needs Django's
async-safety check switched off for everything (tests/conftest.py)."""

import importlib.util
import subprocess
import sys

from tests.processes import ROOT

# bin/test.py by its path: `import test` would find the standard library's package of that name.
sys.path.insert(0, str(ROOT / "bin"))
_spec = importlib.util.spec_from_file_location("kp_test_runner", ROOT / "bin" / "test.py")
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)


def test_the_whole_suite_is_two_runs_with_the_same_options_and_the_browser_tests_last():
    assert runner.pytest_runs(["-q", "-p", "no:cacheprovider"]) == [
        ["-q", "-p", "no:cacheprovider", "tests", "sources", "--ignore=tests/browser"],
        ["-q", "-p", "no:cacheprovider", "tests/browser"],
    ]


def test_given_paths_go_to_the_run_they_belong_to_and_a_run_without_any_is_left_out():
    assert runner.pytest_runs(["tests/bin"]) == [["tests/bin", "--ignore=tests/browser"]]
    pages = "tests/browser/test_pages.py"
    assert runner.pytest_runs([pages, "-x"]) == [["-x", pages]]
    one = f"{pages}::test_an_anonymous_user_sees_no_edit_controls"
    assert runner.pytest_runs([one, "tests/api"]) == [["tests/api", "--ignore=tests/browser"], [one]]


def test_an_option_value_that_looks_like_a_path_stays_with_its_option():
    deselect = ["--deselect", "tests/browser/test_pages.py::test_hostile_titles_stay_text_in_the_browser"]
    runs = runner.pytest_runs([*deselect, "tests/api"])
    assert runs == [[*deselect, "tests/api", "--ignore=tests/browser"]]


def test_each_run_gets_workers_unless_the_caller_chose():
    assert runner.with_workers(["tests", "--ignore=tests/browser"])[:4] == ["-n", "4", "--dist", "worksteal"]
    assert runner.with_workers(["-q", "tests/browser"])[:2] == ["-n", "1"]
    assert runner.with_workers(["-n", "0", "tests/api"]) == ["-n", "0", "tests/api"]


def test_the_exit_code_is_the_first_failure_and_no_tests_only_when_no_run_had_any():
    assert runner.exit_code([0, 0]) == 0
    assert runner.exit_code([1, 0]) == 1
    assert runner.exit_code([0, 2]) == 2
    assert runner.exit_code([5, 0]) == 0  # e.g. -k matching browser tests only
    assert runner.exit_code([5, 5]) == 5


def test_one_pytest_process_refuses_browser_tests_beside_others():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/browser/test_pages.py", "tests/bin"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4, done.stdout + done.stderr  # pytest's usage error
    assert "tests/browser runs in a pytest process of its own" in done.stderr
