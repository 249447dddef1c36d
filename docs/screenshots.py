"""The README's pictures of the HTML page: docs/graph.png and docs/chart.png.

    python docs/screenshots.py

Builds seeds/ (the network) and seeds/ plus the annotated development
articles (the chart: more areas report the same indicator), opens each
graph.html in headless Chromium (tests/cdp.py) and saves a PNG. Chinese
needs a CJK font in the system (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
LIMIT = 300_000  # bytes per picture


def main() -> int:
    from cdp import Chromium

    from kg.build import build

    work = Path(tempfile.mkdtemp(prefix="kg-shots-"))
    build([ROOT / "seeds"], work / "seeds", validate=False)
    build([ROOT / "seeds", ROOT / "tests" / "data" / "dev"], work / "dev", validate=False)
    shots = []
    with Chromium(width=1280, height=800) as browser:
        page = browser.open((work / "seeds" / "graph.html").as_uri())
        page.wait_for("window.kg && window.kg.timings.stabilized")
        # one figure selected, to show its details: value in words, evidence, article
        page.evaluate("""(() => {
            const id = kg.nodes.getIds({filter: n => n.kind === "o"}).find(id => {
              const d = JSON.parse(document.getElementById("kg-data").textContent).details[id];
              return d.area === "中国" && d.indicator === "人工智能核心产业规模";
            });
            if (id) { kg.network.selectNodes([id]); kg.showDetails(id); }
        })()""")
        time.sleep(0.5)  # the frame after the settled layout
        shots.append(page.screenshot(ROOT / "docs" / "graph.png"))
        page.close()

        page = browser.open((work / "dev" / "graph.html").as_uri() + "#chart")
        page.wait_for("!!document.querySelector('#chart-svg .point')")
        time.sleep(0.3)
        shots.append(page.screenshot(ROOT / "docs" / "chart.png"))
        errors = page.errors
    for shot in shots:
        print(f"wrote {shot.relative_to(ROOT)} ({shot.stat().st_size // 1000} kB)")
    if errors:
        print(f"console errors: {errors}")
    return 0 if all(s.stat().st_size < LIMIT for s in shots) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
