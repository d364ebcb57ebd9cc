"""Tests for scripts/run_notebooks.py, using the python3 ipykernel kernel.

Run from the repo root with the Debian interpreter:
    /usr/bin/python3 -m unittest discover -s scripts/tests

Needs python3-nbclient, jupyter-nbconvert and python3-ipykernel (which ships
the `python3` kernelspec in /usr/share/jupyter/kernels). Each test runs the
script as a subprocess, the way the lecturer does.
"""

import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "run_notebooks.py"


def python3_kernel_available():
    try:
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return False
    return "python3" in KernelSpecManager().find_kernel_specs()


def write_notebook(folder, name, sources):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell(f"# {name}")]
    cells += [new_code_cell(source) for source in sources]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    path = Path(folder) / name
    nbformat.write(nb, path)
    return path


@unittest.skipUnless(python3_kernel_available(),
                     "needs python3-nbclient, jupyter-nbconvert, python3-ipykernel")
class RunNotebooksTest(unittest.TestCase):
    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.notebooks = Path(temp.name) / "notebooks"
        self.out = Path(temp.name) / "out"
        self.notebooks.mkdir()

    def run_script(self, *extra):
        env = dict(os.environ)
        # Silences ipykernel's debugpy "frozen modules" warning on stderr.
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        command = [sys.executable, str(SCRIPT), "--notebooks", str(self.notebooks),
                   "--out", str(self.out), "--kernel", "python3", *extra]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        self.elapsed = time.monotonic() - started
        return done

    def summary_row(self, stdout, name):
        rows = [line.split() for line in stdout.splitlines() if line.startswith(name + " ")]
        self.assertTrue(rows, f"no summary row for {name} in:\n{stdout}")
        return rows[-1]

    def test_passing_notebook(self):
        # A relative path proves the kernel runs in the notebook's folder.
        (self.notebooks / "data.txt").write_text("42")
        source = write_notebook(self.notebooks, "01-pass.ipynb", [
            "value = int(open('data.txt').read())",
            "import os; print('telemetry off:', os.environ['DOTNET_CLI_TELEMETRY_OPTOUT'])",
            "import sys; print('just a warning', file=sys.stderr)",
            "value * 2",
        ])
        before = source.read_bytes()

        done = self.run_script()

        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("cell 4/4 ok", done.stdout)
        self.assertIn("stderr: just a warning", done.stdout)
        self.assertEqual(self.summary_row(done.stdout, "01-pass.ipynb")[1:2], ["ok"])
        executed = (self.out / "01-pass.ipynb").read_text()
        self.assertIn("telemetry off: 1", executed)
        self.assertIn("84", executed)
        self.assertTrue((self.out / "01-pass.html").is_file())
        self.assertEqual(source.read_bytes(), before, "input notebook was modified")

    def test_failing_cell(self):
        write_notebook(self.notebooks, "02-fail.ipynb", [
            "x = 1",
            "y = x / 0",
            "print('never reached')",
        ])

        done = self.run_script()

        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("FAILED 02-fail.ipynb: code cell 2/3", done.stdout)
        self.assertIn("notebook cell index 2", done.stdout)
        self.assertIn("source: y = x / 0", done.stdout)
        self.assertIn("ZeroDivisionError", done.stdout)
        self.assertNotIn("\x1b[", done.stdout, "ANSI colour codes leaked")
        self.assertEqual(self.summary_row(done.stdout, "02-fail.ipynb")[1], "FAILED")
        # The partial run is still written, for the lecturer to inspect.
        self.assertIn("ZeroDivisionError", (self.out / "02-fail.ipynb").read_text())
        self.assertTrue((self.out / "02-fail.html").is_file())

    def test_cell_tagged_raises_exception_must_fail_and_the_run_goes_on(self):
        import nbformat
        path = write_notebook(self.notebooks, "04-expected.ipynb", ["1 / 0", "print('still alive')"])
        nb = nbformat.read(path, as_version=4)
        nb.cells[1].metadata["tags"] = ["raises-exception"]
        nbformat.write(nb, path)
        done = self.run_script()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("ok (expected error: ZeroDivisionError", done.stdout)
        self.assertIn("still alive", (self.out / "04-expected.ipynb").read_text())

        nb.cells[1].source = "1 / 1"  # the demonstrated error is gone: that must be noticed
        nbformat.write(nb, path)
        done = self.run_script()
        self.assertEqual(done.returncode, 1, done.stdout)
        self.assertIn("expected an error (cell tagged raises-exception), but the cell succeeded", done.stdout)

    def test_hanging_cell_times_out(self):
        write_notebook(self.notebooks, "03-hang.ipynb", ["import time; time.sleep(100)"])

        done = self.run_script("--timeout", "3")

        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("TIMEOUT 03-hang.ipynb", done.stdout)
        self.assertEqual(self.summary_row(done.stdout, "03-hang.ipynb")[1], "TIMEOUT")
        self.assertLess(self.elapsed, 60)
        self.assertTrue((self.out / "03-hang.ipynb").is_file())

    def test_stuck_kernel_hits_notebook_timeout(self):
        # Ignores interrupts and never replies, like a wedged .NET kernel.
        write_notebook(self.notebooks, "04-stuck.ipynb", [
            "import signal\n"
            "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n"
            "    pass",
        ])

        done = self.run_script("--timeout", "0", "--notebook-timeout", "5", "--no-html")

        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("notebook exceeded 5s; kernel killed", done.stdout)
        self.assertEqual(self.summary_row(done.stdout, "04-stuck.ipynb")[1], "TIMEOUT")
        self.assertLess(self.elapsed, 60)
        self.assertFalse((self.out / "04-stuck.html").exists())

    def test_only_and_checkpoints(self):
        write_notebook(self.notebooks, "05-a.ipynb", ["1"])
        write_notebook(self.notebooks, "06-b.ipynb", ["1/0"])
        (self.notebooks / ".ipynb_checkpoints").mkdir()
        write_notebook(self.notebooks / ".ipynb_checkpoints", "05-a-checkpoint.ipynb", ["1/0"])

        done = self.run_script("--only", "05-*", "--no-html")

        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertNotIn("06-b", done.stdout)
        self.assertNotIn("checkpoint", done.stdout)

    def test_no_notebooks(self):
        done = self.run_script()

        self.assertEqual(done.returncode, 1)
        self.assertIn("no notebooks", done.stderr)


if __name__ == "__main__":
    unittest.main()
