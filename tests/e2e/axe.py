"""axe-core in Chromium: the pinned npm package (tools/axe), installed by the tests themselves.

``violations(page)`` injects axe into the page as it stands (after a form's result or error is shown)
and returns its violations, each as "rule: target … (impact)" for a readable failure.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

AXE_DIR = Path(__file__).resolve().parents[2] / "tools" / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA plus axe's best practices: everything axe checks by default.
RUN_OPTIONS = {"resultTypes": ["violations"]}


@functools.cache
def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        if not shutil.which("npm"):
            raise RuntimeError("axe-core needs npm (Debian package npm) to install tools/axe")
        subprocess.run(["npm", "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund"], check=True)
    return AXE_SCRIPT


# Material fades the header title, the back-to-top button and buttons in and out: axe measures
# colours as drawn, so transitions started by the last scroll or click are run to their end first.
SETTLE = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  document.getAnimations().forEach((animation) => animation.finish());
  done();
})))"""


def violations(page) -> list[str]:
    page.evaluate(SETTLE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script()))
    found = page.evaluate("(options) => axe.run(document, options).then((r) => r.violations)", RUN_OPTIONS)
    return [f"{v['id']}: {', '.join(' '.join(n['target']) for n in v['nodes'][:3])} ({v['impact']})" for v in found]
