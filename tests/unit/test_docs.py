"""The README and the pages of docs/ hold together: every relative link names a file or folder that
exists, every `#anchor` a heading of its page (slugged as mkdocs' table of contents slugs it), a docs
page links nowhere outside docs/ (the built site holds nothing else), every page is in mkdocs.yml's
navigation, and the README stays a front door (at most 150 lines). Pure Python and a few milliseconds,
so it runs in the inner loop; `make docs` (`mkdocs build --strict`) refuses the same links when it
builds the site."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import yaml

from marketwh.paths import ProjectPaths
from tests.helpers import REPO

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\S\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _prose(text: str) -> str:
    """The text without fenced blocks and code spans: a link written as code is no link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """A heading's anchor as Python-Markdown's toc extension (what mkdocs renders) makes it."""
    text = re.sub(r"[`*]", "", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page, a repeated one numbered as the toc numbers it."""
    seen: dict[str, int] = {}
    result = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}_{count}")
    return result


def broken_links(page: Path, root: Path) -> list[str]:
    """What is wrong with the relative links of `page` in the repository at `root`, one line each."""
    docs = os.path.normpath(root / "docs")
    problems = []
    for target in LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if SCHEME.match(target) or target.startswith("//"):
            continue  # another host: not ours to check offline
        path_part, _, anchor = target.partition("#")
        destination = page if not path_part else page.parent / path_part
        where = os.path.normpath(destination)
        name = f"{page.relative_to(root)}: ({target})"
        if not where.startswith(os.path.normpath(root) + os.sep):
            problems.append(f"{name} leaves the repository")
        elif not Path(where).exists():
            problems.append(f"{name} names nothing: {os.path.relpath(where, root)} does not exist")
        elif os.path.normpath(page).startswith(docs + os.sep) and not where.startswith(docs + os.sep):
            problems.append(f"{name} leaves docs/: the built site has only docs/ (write the path as code)")
        elif anchor and where.endswith(".md") and anchor not in anchors(Path(where)):
            problems.append(f"{name} names no heading of {os.path.relpath(where, root)}")
    return problems


def pages(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def test_every_relative_link_of_the_readme_and_the_docs_resolves():
    found = pages(REPO)
    assert len(found) >= 9, [str(p) for p in found]
    problems = [problem for page in found for problem in broken_links(page, REPO)]
    assert not problems, "\n".join(problems)


def test_the_link_check_finds_a_missing_file_a_missing_anchor_and_a_link_out_of_docs(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\n## Bad input and faults: what you see\n\n"
        "[fine](#bad-input-and-faults-what-you-see) [back](../README.md) [gone](other.md)\n\n"
        "`[as code](nowhere.md)`\n\n```\n[in a block](nowhere.md)\n```\n\n"
        "1. a step\n\n   ```yaml\n   # not a heading\n   [indented block](nowhere.md)\n   ```\n",
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text(
        "# Readme\n\n[a folder](seeds/) [a page](docs/page.md#bad-input-and-faults-what-you-see) "
        "[elsewhere](https://example.org/x.md) ![chart](docs/missing.png) [no such heading](docs/page.md#bad-inputs) "
        "[outside](../etc/passwd)\n",
        encoding="utf-8",
    )
    readme = broken_links(tmp_path / "README.md", tmp_path)
    assert readme == [
        "README.md: (docs/missing.png) names nothing: docs/missing.png does not exist",
        "README.md: (docs/page.md#bad-inputs) names no heading of docs/page.md",
        "README.md: (../etc/passwd) leaves the repository",
    ]
    page = broken_links(tmp_path / "docs" / "page.md", tmp_path)
    assert page == [
        "docs/page.md: (../README.md) leaves docs/: the built site has only docs/ (write the path as code)",
        "docs/page.md: (other.md) names nothing: docs/other.md does not exist",
    ]


def test_anchors_are_slugged_as_the_rendered_toc_slugs_them():
    assert slug("The marts (schema `marts`; every table and column carries a comment)") == (
        "the-marts-schema-marts-every-table-and-column-carries-a-comment"
    )
    assert slug("Where the time goes at N = 10,000, and the targets") == "where-the-time-goes-at-n-10000-and-the-targets"
    assert slug("Drafting figures: how good `marketwh extract` is") == "drafting-figures-how-good-marketwh-extract-is"


def test_every_docs_page_is_in_the_navigation_and_every_entry_is_a_page():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = {next(iter(entry.values())) if isinstance(entry, dict) else entry for entry in config["nav"]}
    on_disk = {path.relative_to(REPO / "docs").as_posix() for path in (REPO / "docs").rglob("*.md")}
    assert in_nav == on_disk


def test_the_readme_is_a_front_door():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines: move the detail into a page of docs/"


def test_the_report_site_links_a_page_that_make_docs_builds():
    """The site carries a copy of the built docs as guide/ (marketwh/site/build.py) and links a page of
    it by a relative path: `{{ up }}` climbs to the site's root, `guide/<page>.html` is a page of docs/ as
    mkdocs writes it (use_directory_urls: false) into ProjectPaths.docs_site."""
    template = (REPO / "marketwh" / "site" / "templates" / "base.html").read_text(encoding="utf-8")
    linked = re.findall(r'href="\{\{ up \}\}guide/([\w-]+)\.html"', template)
    assert linked, "the report site's navigation links no page of docs/"
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert REPO / config["site_dir"] == ProjectPaths(REPO).docs_site and config["use_directory_urls"] is False
    for name in linked:
        assert (REPO / "docs" / f"{name}.md").exists(), f"the site links docs/{name}.html, but docs/{name}.md does not exist"
