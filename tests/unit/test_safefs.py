"""marketwh/safefs.py on its own: a name made from data stays inside its folder, a person's output
never lands in a managed path (a link in the drafts folder's place carves out nothing)."""

from __future__ import annotations

import pytest

from marketwh.paths import ProjectPaths
from marketwh.safefs import UnsafePathError, check_output, path_inside, paths_inside, write_inside


@pytest.mark.parametrize("name", ["../escaped.html", "a/../../escaped.html", "/etc/passwd", "a\x00b", ".", "", "link/escaped.html"])
def test_a_name_resolving_outside_its_folder_is_refused(tmp_path, name):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError, match="not a file inside"):
        write_inside(folder, name, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


ODD_NAMES = [  # outside the folder, a link, a NUL, a backslash (a plain character here)
    "../escaped.html",
    "a/../../escaped.html",
    "/etc/passwd",
    "a\x00b",
    ".",
    "",
    "link/escaped.html",
    "reports/out",
    "a\\..\\b",
]


@pytest.mark.parametrize("name", [*ODD_NAMES, "a/../ok.html"])
def test_many_names_in_one_folder_are_refused_as_one_name_is(tmp_path, name):
    folder = tmp_path / "site"
    (folder / "reports").mkdir(parents=True)
    (folder / "link").symlink_to(tmp_path)
    (folder / "reports" / "out").symlink_to(tmp_path / "escaped.html")  # a link as the last part of a name
    inside = paths_inside(folder)
    try:
        expected = path_inside(folder, name)
    except UnsafePathError:
        with pytest.raises(UnsafePathError, match="not a file inside"):
            inside(name)
    else:
        assert inside(name) == expected
    assert inside("reports/ok.html") == path_inside(folder, "reports/ok.html")


def test_a_name_inside_its_folder_is_written_there(tmp_path):
    assert write_inside(tmp_path, "reports/a/../chem24.html", "x") == path_inside(tmp_path, "reports/chem24.html")
    assert (tmp_path / "reports" / "chem24.html").read_text() == "x"


def test_the_drafts_folder_is_the_only_place_under_build_and_a_link_there_carves_out_nothing(tmp_path):
    paths = ProjectPaths(tmp_path)
    paths.build_dir.mkdir()
    managed, allowed = paths.managed_paths(), [paths.drafts_dir]
    assert check_output(paths.drafts_dir / "qy.csv", managed, allowed) == paths.drafts_dir / "qy.csv"
    for target in (paths.build_dir / "qy.csv", paths.seeds_dir / "qy.csv", tmp_path / ".git" / "hooks" / "pre-commit"):
        with pytest.raises(UnsafePathError, match="which marketwh manages"):
            check_output(target, managed, allowed)
    paths.drafts_dir.symlink_to(paths.build_dir)  # build/drafts -> build: build/drafts/warehouse.duckdb is the served file
    with pytest.raises(UnsafePathError, match="which marketwh manages"):
        check_output(paths.drafts_dir / "warehouse.duckdb", managed, allowed)
