"""Every page's last-update date from one ``git log`` call, instead of one per page and language.

The git-revision-date-localized plugin asks git for each page separately: with five languages that is
one ``git log --follow`` process per page per language (1,105 processes for 221 pages per language),
about a third of the build's time per extra page. The plugin keeps the answers it computed up front
in ``last_revision_commits`` (absolute source path -> commit hash, author time) and reads them back
when it renders each page; this hook fills that cache from a single ``git log`` over ``docs/`` with
the plugin's own options, so the plugin still formats and localizes every date itself.

A file the single call does not cover (not committed yet, or last touched by a rename, which the
plugin follows per file) is not put in the cache, and the plugin asks git for it as before.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

PLUGIN = "git-revision-date-localized"
COMMIT = "\x01"  # marks the start of each commit in the log output (names are NUL-separated)


def last_commits(folder: Path) -> dict[str, tuple[str, int]]:
    """Real path of every file under ``folder`` -> (hash, author time) of the last commit changing it,
    with the options the plugin gives ``git log`` for one file (``-w --ignore-blank-lines
    --diff-filter=r``). Empty when ``folder`` is not in a git work tree."""
    git = ["git", "-C", str(folder)]
    try:
        top = subprocess.run([*git, "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True)
        log = subprocess.run(
            [*git, "log", f"--format={COMMIT}%H %at", "--name-only", "-z", "--diff-filter=r", "-w",
             "--ignore-blank-lines", "--no-show-signature", "--", "."],
            capture_output=True, text=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    root = top.stdout.strip()
    found: dict[str, tuple[str, int]] = {}
    for chunk in log.stdout.split(COMMIT)[1:]:
        header, _, names = chunk.partition("\0")
        commit, timestamp = header.split(" ")
        for name in names.strip("\n").split("\0"):
            if name:
                found.setdefault(os.path.realpath(os.path.join(root, name)), (commit, int(timestamp)))
    return found


_commits: dict[str, dict[str, tuple[str, int]]] = {}  # HEAD commit -> last_commits() of docs_dir


@event_priority(100)  # before the plugin's on_files, which asks git per page when its cache is empty
def on_files(files, config):
    plugin = config["plugins"].get(PLUGIN)
    if plugin is None or not plugin.config.get("enabled"):
        return files
    if not plugin.config.get("enable_parallel_processing"):
        raise PluginError(f"{PLUGIN}: set enable_parallel_processing: true, or it never reads the dates "
                          "hooks/git_dates.py computes")
    cache = getattr(plugin, "last_revision_commits", None)
    sources = getattr(plugin, "cached_source_paths", None)
    if not isinstance(cache, dict) or not isinstance(sources, dict):
        raise PluginError(f"{PLUGIN}: this version keeps no last_revision_commits cache for hooks/git_dates.py")
    # The plugin clears its cache when HEAD moves (mkdocs serve); the i18n plugin runs this event once
    # per language, so the one git call is made once per HEAD.
    head = getattr(plugin, "cached_head_commit", "")
    if head not in _commits:
        _commits.clear()
        _commits[head] = last_commits(Path(config["docs_dir"]))
    commits = _commits[head]
    for file in files:
        if not file.is_documentation_page() or not file.abs_src_path:
            continue
        key = str(Path(file.abs_src_path).absolute())
        commit = commits.get(os.path.realpath(file.abs_src_path))
        if commit and key not in cache:
            cache[key] = commit
            sources[key] = key
    return files
