"""axe-core in the browser tests: the pinned copy `scripts/setup.sh --dev` fetches (npm pack,
sha256-checked) into the venv, or PETPIXEL_AXE_JS; all default rules plus target-size. The
`axe_source` fixture (tests/conftest.py) reads it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_JS = Path(
    os.environ.get(
        "PETPIXEL_AXE_JS", Path(sys.prefix) / "share" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
    )
)
# All default rules plus target-size (WCAG 2.2 AA, off by default in axe).
RUN_AXE = """async () => {
  const result = await axe.run(document, {rules: {'target-size': {enabled: true}}});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


def axe_violations(page: Any, axe_source: str) -> list[str]:
    """Serious and critical violations on the page as it is now."""
    # Evaluated through DevTools, so the page's CSP (no inline script) is left as served.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return list(page.evaluate(RUN_AXE))
