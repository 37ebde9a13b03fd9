"""The README is a front door: short, and every page it or the docs point to exists (issue 20).

The detail moved to docs/; a link to a moved section that no longer resolves would strand a reader, so
every relative link of the README and of docs/*.md is checked, anchors included (GitHub's heading ids).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MAX_README_LINES = 150
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def heading_ids(path: Path) -> set[str]:
    """GitHub's anchors: the heading lower-cased, punctuation but '-' and '_' dropped, spaces as '-'."""
    ids = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        m = None if in_code else re.match(r"#{1,6} (.+)", line)
        if m:
            text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower().replace("`", ""))
            ids.add(text.replace(" ", "-"))
    return ids


def relative_links(path: Path) -> list[str]:
    return [t for t in LINK.findall(path.read_text()) if not re.match(r"[a-z]+:", t)]


def test_the_readme_is_under_150_lines():
    assert len(README.read_text().splitlines()) < MAX_README_LINES


def test_the_readme_links_every_topic_of_docs():
    linked = {t.split("#")[0] for t in relative_links(README)}
    for name in ("sources", "api", "forecasts", "configuration", "operations", "performance", "reliability"):
        assert f"docs/{name}.md" in linked


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    for target in relative_links(page):
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        assert path.exists(), f"{page.name} links {target}: no such file"
        if anchor and path.suffix == ".md":
            assert anchor in heading_ids(path), f"{page.name} links {target}: no such heading"
