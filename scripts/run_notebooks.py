#!/usr/bin/python3
"""Run every Talk.Kit notebook headless and write executed copies + HTML handouts.

This is the lecturer's pre-class check: each notebook is executed top to bottom
in a real Jupyter kernel (through nbclient), exactly as a student would run it.

Usage:
    /usr/bin/python3 scripts/run_notebooks.py [--notebooks DIR] [--out DIR]
        [--kernel NAME] [--timeout SECONDS_PER_CELL]
        [--notebook-timeout SECONDS] [--only GLOB] [--no-html]

    --notebooks DIR        notebooks to run (default: <repo>/notebooks); searched
                           recursively, hidden folders such as
                           .ipynb_checkpoints are skipped
    --out DIR              where executed notebooks and handouts go
                           (default: <repo>/artifacts/notebooks)
    --kernel NAME          kernelspec to use for every notebook (default: the
                           one named in each notebook's metadata)
    --timeout S            per-cell timeout in seconds (default 600, 0 = none)
    --notebook-timeout S   whole-notebook timeout in seconds, kernel start
                           included (default 1800, 0 = none)
    --only GLOB            run only notebooks whose file name or relative path
                           matches GLOB (e.g. --only '02-*')
    --no-html              skip the HTML handouts

For each notebook <name>.ipynb it writes <out>/<name>.ipynb (executed, written
even when execution fails, with whatever outputs were produced) and
<out>/<name>.html. Input notebooks are never modified. The kernel runs with the
notebook's own folder as working directory, so relative paths work.

Exit status: 0 if every notebook ran cleanly, 1 otherwise (or if none found).
Needs the Debian packages python3-nbclient, jupyter-nbconvert and a kernel
(python3-ipykernel for the tests, .NET Interactive for the kit's notebooks).
"""

import argparse
import asyncio
import dataclasses
import fnmatch
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parent.parent

# The kit sends no telemetry; the kernels (dotnet, onnxruntime) inherit these.
TELEMETRY_OPT_OUTS = (
    "ORT_DISABLE_TELEMETRY",
    "DOTNET_CLI_TELEMETRY_OPTOUT",
    "DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT",
)

# After a whole-notebook timeout, how long nbclient gets to kill the kernel
# itself before we kill it directly and move on.
KILL_GRACE_SECONDS = 15

TRACEBACK_LINES = 8  # lines of traceback shown for a failing cell
STDERR_LINES = 5  # lines of a cell's stderr echoed in the progress output
SKIP_TAG = "skip-execution"  # cells tagged so are not run (nbclient's default)
EXPECT_ERROR_TAG = "raises-exception"  # cells tagged so must fail (they demonstrate an error)

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# The 'lab' template loads require.js in the page head. The kit's charts are
# inline plotly.js bundles (UMD): with an AMD loader present, plotly registers
# itself as a require.js module instead of setting window.Plotly, and the chart
# scripts break. Nothing in our handouts needs require.js, so leave it out.
HANDOUT_TEMPLATE = "talkkit_handout.html.j2"
HANDOUT_TEMPLATE_SOURCE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
"""


class ErrorOutput(Exception):
    """A cell produced an `error` output (even if the kernel replied 'ok')."""


class NotebookTimeout(Exception):
    """The whole notebook ran longer than --notebook-timeout."""


@dataclasses.dataclass
class Result:
    name: str
    status: str = "ok"  # ok / FAILED / TIMEOUT
    seconds: float = 0.0
    cells_done: int = 0  # code cells executed or skipped
    cells_total: int = 0


def say(text=""):
    # Flush every line: the lecturer watches this live, often through a pipe.
    print(text, flush=True)


def strip_ansi(text):
    return ANSI_ESCAPE.sub("", text)


def first_line(source):
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip() if lines else "(empty)"


class CellProgress:
    """nbclient hooks: print one line per code cell and catch failures.

    nbclient 0.7.2 hooks used: `on_cell_start` fires for every cell, before
    nbclient skips empty ones; `on_cell_execute` fires just before a code cell
    is sent to the kernel; `on_cell_executed` fires once its reply is in
    (success or error, before nbclient raises CellExecutionError).
    (`on_cell_complete`, despite its name, fires right after the request is
    *sent*, so it is useless for timing.)
    """

    def __init__(self, nb):
        # Number code cells 1..N the way a reader counts them in the notebook.
        self.code_number = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                self.code_number[index] = len(self.code_number) + 1
        self.total = len(self.code_number)
        self.cells_done = 0  # executed or skipped
        self.current = None  # (cell, index) of the cell running right now
        self.started = 0.0
        self.failure = None  # (cell, index, error lines) of the failing cell

    def where(self, index):
        return f"{self.code_number.get(index, '?')}/{self.total}"

    def on_cell_start(self, cell, cell_index):
        # nbclient silently skips these; say so, so the count still adds up.
        if cell.cell_type != "code":
            return
        if not cell.source.strip():
            self.skipped(cell_index, "empty")
        elif SKIP_TAG in cell.metadata.get("tags", []):
            self.skipped(cell_index, f"tagged {SKIP_TAG}")

    def skipped(self, cell_index, why):
        self.cells_done += 1
        say(f"  cell {self.where(cell_index)} skipped ({why})")

    def on_cell_execute(self, cell, cell_index):
        self.current = (cell, cell_index)
        self.started = time.monotonic()

    def on_cell_executed(self, cell, cell_index, execute_reply):
        self.cells_done += 1
        elapsed = time.monotonic() - self.started
        error = describe_error(cell, execute_reply)
        if EXPECT_ERROR_TAG in cell.metadata.get("tags", []):
            # Jupyter's convention (nbclient honours it too): this cell demonstrates an error, so an error is
            # the expected outcome and its absence is the failure.
            say(f"  cell {self.where(cell_index)} {'ok (expected error: ' + error[0] + ')' if error else 'ERROR'} {elapsed:.1f}s")
            if error:
                return
            error = [f"expected an error (cell tagged {EXPECT_ERROR_TAG}), but the cell succeeded"]
        else:
            say(f"  cell {self.where(cell_index)} {'ERROR' if error else 'ok'} {elapsed:.1f}s")
        show_stderr(cell)
        if error:
            self.failure = (cell, cell_index, error)
            # Stop here, as nbclient does for a failed reply: later cells
            # usually depend on this one.
            raise ErrorOutput(error[0])


def describe_error(cell, execute_reply):
    """Return error lines (name: value, then traceback) or None if the cell is fine.

    stderr streams are not errors (warnings, logging); an `error` output is,
    and so is an 'error' reply even if the kernel sent no error output.
    """
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return error_lines(output)
    content = (execute_reply or {}).get("content", {})
    if content.get("status") == "error":
        return error_lines(content)
    return None


def error_lines(error):
    headline = strip_ansi(f"{error.get('ename', 'Error')}: {error.get('evalue', '')}")
    traceback = strip_ansi("\n".join(error.get("traceback", []))).splitlines()
    traceback = [line for line in traceback if line.strip()][:TRACEBACK_LINES]
    return [headline] + traceback


def show_stderr(cell):
    text = "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )
    lines = strip_ansi(text).splitlines()
    for line in lines[:STDERR_LINES]:
        say(f"    stderr: {line}")
    if len(lines) > STDERR_LINES:
        say(f"    stderr: ... ({len(lines) - STDERR_LINES} more lines)")


# --- execution -------------------------------------------------------------


def make_client(nb, notebook_path, progress, args):
    return NotebookClient(
        nb,
        timeout=args.timeout or None,
        kernel_name=args.kernel or "",  # "" = use the notebook's kernelspec
        # The resources path becomes the kernel's working directory.
        resources={"metadata": {"path": str(notebook_path.parent)}},
        skip_cells_with_tag=SKIP_TAG,
        on_cell_start=progress.on_cell_start,
        on_cell_execute=progress.on_cell_execute,
        on_cell_executed=progress.on_cell_executed,
    )


async def execute_with_deadline(client, deadline):
    """Run the notebook; if it outlives `deadline` seconds, kill the kernel.

    nbclient's cell timeout only covers waiting for a reply; a kernel can still
    wedge the run elsewhere (the .NET kernel is known to hang for good), so the
    whole run gets its own deadline.
    """
    task = asyncio.ensure_future(client.async_execute())
    done, _ = await asyncio.wait({task}, timeout=deadline)
    if task in done:
        task.result()  # re-raise whatever nbclient raised
        return
    await stop_execution(client, task)
    raise NotebookTimeout(f"notebook exceeded {deadline:.0f}s")


async def stop_execution(client, task):
    # Let nbclient's own cleanup run, but with a kill instead of a polite
    # shutdown request that a hung kernel would never answer.
    client.shutdown_kernel = "immediate"
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=KILL_GRACE_SECONDS)
    if task in done:
        if not task.cancelled():
            task.exception()  # nbclient turns the cancel into DeadKernelError
        return
    # Cleanup is stuck too: kill the kernel's process group ourselves.
    if client.km is not None:
        await client.km.shutdown_kernel(now=True)


def run_loop(coroutine):
    """Run `coroutine` on a fresh event loop and never hang on leftovers."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        # nbclient's pollers may outlive a killed run; cancel them so the
        # next notebook starts clean and no "Task was destroyed" noise appears.
        leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for leftover in leftovers:
            leftover.cancel()
        if leftovers:
            loop.run_until_complete(
                asyncio.wait(leftovers, timeout=KILL_GRACE_SECONDS)
            )
        loop.close()


def execute_notebook(nb, notebook_path, result, args):
    """Execute `nb` in place; fill in `result` and print any failure."""
    progress = CellProgress(nb)
    result.cells_total = progress.total
    client = make_client(nb, notebook_path, progress, args)
    started = time.monotonic()
    try:
        run_loop(execute_with_deadline(client, args.notebook_timeout or None))
    except (NotebookTimeout, CellTimeoutError) as error:
        result.status = "TIMEOUT"
        report_timeout(result.name, progress, error)
    except (ErrorOutput, CellExecutionError) as error:
        result.status = "FAILED"
        report_cell_failure(result.name, progress, error)
    except Exception as error:  # kernel missing, died, failed to start, ...
        result.status = "FAILED"
        report_other_failure(result.name, progress, error)
    result.seconds = time.monotonic() - started
    result.cells_done = progress.cells_done


def report_cell_failure(name, progress, error):
    if progress.failure is None:  # defensive: nbclient raised without our hook
        say(f"FAILED {name}: " + strip_ansi(str(error)).strip().splitlines()[0])
        return
    cell, index, lines = progress.failure
    say(f"FAILED {name}: code cell {progress.where(index)} "
        f"(notebook cell index {index}, 0-based)")
    say(f"  source: {first_line(cell.source)}")
    say(f"  error:  {lines[0]}")
    for line in lines[1:]:
        say(f"    {line}")


def report_timeout(name, progress, error):
    say(f"TIMEOUT {name}: {describe_timeout(error)}")
    if progress.current is not None:
        cell, index = progress.current
        say(f"  while running code cell {progress.where(index)} "
            f"(notebook cell index {index}, 0-based)")
        say(f"  source: {first_line(cell.source)}")


def describe_timeout(error):
    if isinstance(error, CellTimeoutError):
        return "a cell exceeded --timeout"
    return f"{error}; kernel killed"


def report_other_failure(name, progress, error):
    kind = "kernel died" if isinstance(error, DeadKernelError) else type(error).__name__
    message = strip_ansi(str(error)).strip().splitlines()
    say(f"FAILED {name}: {kind}: {message[0] if message else ''}")
    if progress.current is not None:
        cell, index = progress.current
        say(f"  last code cell started: {progress.where(index)} "
            f"(notebook cell index {index}, 0-based): {first_line(cell.source)}")


# --- outputs ---------------------------------------------------------------


def write_atomically(path, text):
    """Write via a temp file in the same folder, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); give it normal permissions.
        os.chmod(temp, 0o666 & ~current_umask())
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def current_umask():
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def make_html_exporter():
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({HANDOUT_TEMPLATE: HANDOUT_TEMPLATE_SOURCE})],
        template_file=HANDOUT_TEMPLATE,
    )
    # Explicit, though it is the default: the charts are <script> tags in raw
    # HTML outputs and must survive untouched.
    exporter.sanitize_html = False
    return exporter


def write_outputs(nb, notebook_path, relative, out_dir, exporter):
    """Write <out>/<relative>.ipynb and, if an exporter is given, .html."""
    target = out_dir / relative
    write_atomically(target, nbformat.writes(nb))
    if exporter is None:
        return
    resources = {"metadata": {"name": notebook_path.stem,
                              "path": str(notebook_path.parent)}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    write_atomically(target.with_suffix(".html"), html)


# --- driver ----------------------------------------------------------------


def find_notebooks(notebooks_dir, only):
    """All *.ipynb below `notebooks_dir`, sorted, minus hidden/checkpoint folders."""
    found = []
    for path in notebooks_dir.rglob("*.ipynb"):
        relative = path.relative_to(notebooks_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue  # .ipynb_checkpoints and the like
        if only and not (fnmatch.fnmatch(path.name, only)
                         or fnmatch.fnmatch(relative.as_posix(), only)):
            continue
        found.append(relative)
    return sorted(found, key=lambda p: p.as_posix())


def run_one(notebooks_dir, relative, out_dir, exporter, args):
    result = Result(name=relative.as_posix())
    notebook_path = notebooks_dir / relative
    say(f"=== {result.name}")
    # Read into memory and only ever write under --out: inputs stay untouched.
    try:
        nb = nbformat.read(notebook_path, as_version=4)
    except Exception as error:  # not valid notebook JSON: nothing to run
        say(f"FAILED {result.name}: cannot read notebook: {error}")
        result.status = "FAILED"
        return result
    execute_notebook(nb, notebook_path, result, args)
    try:
        write_outputs(nb, notebook_path, relative, out_dir, exporter)
    except Exception as error:  # a broken handout is a failed run too
        say(f"FAILED {result.name}: could not write outputs: {error}")
        result.status = "FAILED"
    say(f"--- {result.name}: {result.status} in {result.seconds:.1f}s")
    return result


def print_summary(results):
    width = max([len("notebook")] + [len(r.name) for r in results])
    say()
    say(f"{'notebook':<{width}}  {'status':<7}  {'seconds':>8}  cells")
    say(f"{'-' * width}  {'-' * 7}  {'-' * 8}  -----")
    for r in results:
        say(f"{r.name:<{width}}  {r.status:<7}  {r.seconds:>8.1f}  "
            f"{r.cells_done}/{r.cells_total}")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Execute the Talk.Kit notebooks headless and write HTML handouts.")
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks", metavar="DIR",
                        help="folder of notebooks (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / "notebooks", metavar="DIR",
                        help="output folder (default: %(default)s)")
    parser.add_argument("--kernel", default=None, metavar="NAME",
                        help="kernelspec for all notebooks (default: each notebook's own)")
    parser.add_argument("--timeout", type=int, default=600, metavar="SECONDS_PER_CELL",
                        help="per-cell timeout, 0 = none (default: %(default)s)")
    parser.add_argument("--notebook-timeout", type=int, default=1800, metavar="SECONDS",
                        help="whole-notebook timeout, 0 = none (default: %(default)s)")
    parser.add_argument("--only", metavar="GLOB",
                        help="run only notebooks whose name or relative path matches")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML handouts")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for name in TELEMETRY_OPT_OUTS:
        os.environ.setdefault(name, "1")  # kernels inherit os.environ

    notebooks_dir = args.notebooks.resolve()
    notebooks = find_notebooks(notebooks_dir, args.only) if notebooks_dir.is_dir() else []
    if not notebooks:
        which = f" matching {args.only!r}" if args.only else ""
        print(f"error: no notebooks{which} found in {notebooks_dir}", file=sys.stderr)
        return 1

    out_dir = args.out.resolve()
    exporter = None if args.no_html else make_html_exporter()
    results = [run_one(notebooks_dir, nb, out_dir, exporter, args) for nb in notebooks]
    print_summary(results)
    failed = [r for r in results if r.status != "ok"]
    say(f"\n{len(results) - len(failed)}/{len(results)} notebooks ok; outputs in {out_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
