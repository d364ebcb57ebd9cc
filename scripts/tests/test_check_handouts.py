"""The handout check must fail when a chart did not draw (it is the only test that looks at a page like a reader)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "check_handouts.py")
PLOTLY = os.path.join(HERE, "..", "..", "web", "node_modules", "plotly.js-dist-min", "plotly.min.js")

CHART = """<div class="talkkit-chart" id="c"></div>
<script>window.Plotly && Plotly.newPlot(document.getElementById("c"), [{x: [1, 2], y: [3, 4], type: "bar"}], {});</script>"""


@unittest.skipUnless(shutil.which("chromium") and os.path.exists(PLOTLY), "needs Debian's chromium and web/node_modules")
class CheckHandoutsTest(unittest.TestCase):
    def run_check(self, page_html):
        with tempfile.TemporaryDirectory() as out:
            with open(os.path.join(out, "page.html"), "w") as f:
                f.write(page_html)
            return subprocess.run([sys.executable, SCRIPT, out], capture_output=True, text=True, timeout=180)

    def test_drawn_chart_passes(self):
        with open(PLOTLY) as f:
            library = f.read()
        result = self.run_check(f"<html><body><script>{library}</script>{CHART}</body></html>")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("1 of 1 charts and graphs drawn", result.stdout)

    def test_chart_without_plotly_fails(self):
        result = self.run_check(f"<html><body>{CHART}</body></html>")
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("0 of 1 charts and graphs drawn", result.stdout)
        self.assertIn("1 passed, 1 failed", result.stdout)


if __name__ == "__main__":
    unittest.main()
