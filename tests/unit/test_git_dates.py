"""Last-update dates from one git call (hooks/git_dates.py), checked against the plugin's own answers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files
from mkdocs_git_revision_date_localized_plugin.util import Util

from hooks import git_dates

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def plugin_answer(path: Path) -> tuple[str, int]:
    """What the plugin asks git for one file, with this project's plugin options."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    util = Util(config=config.plugins[git_dates.PLUGIN].config, mkdocs_dir=str(ROOT))
    return util.get_git_commit_timestamp(str(path))


def test_one_git_call_gives_every_committed_page_the_plugins_own_answer():
    commits = git_dates.last_commits(DOCS)
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "docs"], capture_output=True, text=True,
                             check=True).stdout.split()
    pages = [ROOT / name for name in tracked if name.endswith(".md")]
    assert len(pages) > 50
    config = load_config(str(ROOT / "mkdocs.yml"))
    util = Util(config=config.plugins[git_dates.PLUGIN].config, mkdocs_dir=str(ROOT))
    for page in pages:
        assert commits[os.path.realpath(page)] == util.get_git_commit_timestamp(str(page)), page


def test_a_folder_outside_git_gives_no_dates(tmp_path):
    assert git_dates.last_commits(tmp_path) == {}


@pytest.fixture
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_the_plugin_reads_the_dates_from_its_cache_without_asking_git_per_page(config, monkeypatch):
    plugin = config.plugins[git_dates.PLUGIN]
    plugin.on_startup(command="build", dirty=False)
    plugin.cached_head_commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                                               capture_output=True, text=True, check=True).stdout.strip()
    files = get_files(config)
    git_dates.on_files(files, config)
    page = next(file for file in files if file.src_uri == "th/billing/refunds.md")
    assert page.abs_src_path is not None
    expected = plugin_answer(Path(page.abs_src_path))

    def no_git(*args, **kwargs):
        raise AssertionError("the plugin asked git for a page the hook had dated")

    monkeypatch.setattr(Util, "get_git_commit_timestamp", no_git)
    plugin.util = Util(config=plugin.config, mkdocs_dir=str(ROOT))

    class Page:
        file = page

    assert plugin._get_commit(Page, is_first_commit=False) == expected


def test_the_plugin_must_read_its_cache(config):
    config.plugins[git_dates.PLUGIN].config["enable_parallel_processing"] = False
    with pytest.raises(PluginError, match="enable_parallel_processing"):
        git_dates.on_files(get_files(config), config)
