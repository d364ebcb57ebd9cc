"""Checks executed notebooks and their HTML handouts the way a reader would see them.

Usage: check_handouts.py OUT_DIR [--stamp FILE] [--screenshot-dir DIR]

For every <name>.html in OUT_DIR (written by run_notebooks.py):
  * opens it in headless Chromium, offline (file://, background networking off), lets scripts run, and reads
    the resulting DOM: every kit chart (<div class="talkkit-chart">) must contain a drawn plotly SVG
    (class "main-svg"); a page with kit charts none of which drew fails;
  * with --stamp, the executed 00-start-here.ipynb must show the build stamp of the package just packed,
    proving the kernel loaded this build and not a cached one.
Prints one line per check and "N passed, N failed"; exits 1 on any failure.
"""
import argparse
import glob
import html.parser
import json
import os
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--virtual-time-budget=15000"]


class ChartCounter(html.parser.HTMLParser):
    """Counts kit chart and graph containers and how many of them hold what their library draws:
    a plotly SVG (class "main-svg") in a chart, a Graphviz SVG in a graph view."""

    CONTAINERS = ("talkkit-chart", "talkkit-graph")

    def __init__(self):
        super().__init__()
        self.stack = []          # for each open element: is it a kit chart or graph?
        self.charts = 0
        self.drawn = 0
        self._drawn_here = False
        self._kind = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        kind = next((c for c in self.CONTAINERS if tag == "div" and c in classes), None)
        is_chart = kind is not None
        if is_chart:
            self.charts += 1
            self._drawn_here = False
            self._kind = kind
        if any(self.stack) and (("main-svg" in classes and self._kind == "talkkit-chart")
                                or (tag == "svg" and self._kind == "talkkit-graph")):
            self._drawn_here = True
        if tag not in ("br", "img", "input", "meta", "link", "hr", "path", "rect", "line", "circle", "stop", "use"):
            self.stack.append(is_chart)

    def handle_endtag(self, tag):
        if self.stack and self.stack.pop() and self._drawn_here:
            self.drawn += 1


def rendered_dom(page, chromium):
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                 "file://" + os.path.abspath(page)], capture_output=True, text=True, timeout=120)
    return result.stdout


def screenshot(page, chromium, target):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1200,2600",
                        f"--screenshot={target}", "file://" + os.path.abspath(page)], capture_output=True, timeout=120)


def notebook_text(path):
    with open(path) as f:
        nb = json.load(f)
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            for value in out.get("data", {}).values():
                parts.append("".join(value) if isinstance(value, list) else json.dumps(value))
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--stamp", help="build-stamp.txt of the feed the notebooks loaded")
    parser.add_argument("--screenshot-dir")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    passed = failed = 0

    def report(ok, message):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("  ok      " if ok else "  FAILED  ") + message, flush=True)

    pages = sorted(glob.glob(os.path.join(args.out_dir, "**", "*.html"), recursive=True))
    report(bool(pages), f"handouts found in {args.out_dir}: {len(pages)}")
    for page in pages:
        counter = ChartCounter()
        counter.feed(rendered_dom(page, args.chromium))
        name = os.path.relpath(page, args.out_dir)
        if counter.charts:
            report(counter.drawn == counter.charts, f"{name}: {counter.drawn} of {counter.charts} charts and graphs drawn offline in Chromium")
        if args.screenshot_dir:
            os.makedirs(args.screenshot_dir, exist_ok=True)
            screenshot(page, args.chromium, os.path.join(args.screenshot_dir, os.path.splitext(os.path.basename(page))[0] + ".png"))

    start = os.path.join(args.out_dir, "00-start-here.ipynb")
    if os.path.exists(start):
        text = notebook_text(start)
        report("talkkit-chart" in text, "00-start-here: #!kit shows its HTML report with a chart")
        if args.stamp:
            with open(args.stamp) as f:
                stamp = f.read().strip()
            report(f"(build {stamp})" in text, f"00-start-here: the kernel loaded the build just packed ({stamp})")

    print(f"handout checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
