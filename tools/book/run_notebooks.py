"""Executes notebooks with a Jupyter kernel through nbclient, one after another.

`cargo book test` runs this with the Python of its private virtual environment (nbclient,
nbformat and jupyter_client installed); see tools/book/src/notebooks/run.rs.

    python run_notebooks.py --report REPORT.json [--kernel rust] [--timeout S] IN=OUT ...

Each IN notebook is executed cell by cell in its own folder (so a relative `:dep` path resolves)
and written with its outputs to OUT. The run stops at the first cell that fails: an error reply,
a timeout, a dead kernel, or a panic that the kernel caught and reported as success (evcxr does
that unless `:preserve_vars_on_panic 0`), which shows only as "panicked at" on the cell's stderr.
The failure names the notebook and the cell (its index, first line, and the snippet or chapter
line it came from). REPORT gets the timings, and the failure if there is one, as JSON.
"""

import argparse
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


class CellFailed(Exception):
    pass


def describe(path, index, cell):
    lines = [line for line in cell.source.splitlines() if line.strip()]
    first = lines[0].strip() if lines else "(empty)"
    where = cell.metadata.get("sysdesign", {}).get("from")
    origin = f", from {where}" if where else ""
    return f"{path}: cell {index} (`{first}`{origin})"


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def first_lines(text, n=30):
    lines = ANSI.sub("", text).strip().splitlines()
    more = f"\n[... {len(lines) - n} more lines]" if len(lines) > n else ""
    return "\n".join(lines[:n]) + more


def error_of(cell):
    """The kernel's error outputs, as text without terminal colours."""
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            trace = "\n".join(o.get("traceback", []))
            parts.append(trace or f"{o.get('ename', '')}: {o.get('evalue', '')}")
    return first_lines("\n".join(parts))


def stderr_of(cell):
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


def run_one(path, out, kernel, timeout):
    nb = nbformat.read(path, as_version=4)
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": folder}},
    )
    cells = []
    started = time.monotonic()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t0 = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError as e:
                raise CellFailed(f"{describe(path, index, cell)} ran past {timeout} s:\n{e}")
            except DeadKernelError as e:
                raise CellFailed(f"{describe(path, index, cell)}: the kernel died:\n{e}")
            except CellExecutionError as e:
                detail = error_of(cell) or first_lines(f"{e.ename}: {e.evalue}")
                stderr = stderr_of(cell).strip()
                if stderr:
                    detail += "\nstderr:\n" + first_lines(stderr)
                raise CellFailed(f"{describe(path, index, cell)} failed:\n{detail}")
            stderr = stderr_of(cell)
            if "panicked at" in stderr:
                raise CellFailed(f"{describe(path, index, cell)} panicked:\n{first_lines(stderr)}")
            cells.append({"index": index, "seconds": round(time.monotonic() - t0, 3)})
    nbformat.validate(nb)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    nbformat.write(nb, out)
    return {"notebook": path, "seconds": round(time.monotonic() - started, 3), "cells": cells}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="rust")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--report", required=True)
    parser.add_argument("pairs", nargs="+", metavar="IN=OUT")
    args = parser.parse_args()

    report = {"notebooks": [], "failure": None}
    status = 0
    for pair in args.pairs:
        path, _, out = pair.partition("=")
        print(f"run_notebooks: executing {path}", file=sys.stderr, flush=True)
        try:
            result = run_one(path, out or path, args.kernel, args.timeout)
        except CellFailed as e:
            report["failure"] = str(e)
            status = 1
            break
        except Exception as e:  # the kernel would not start, a notebook would not load...
            report["failure"] = f"{path}: {type(e).__name__}: {e}"
            status = 1
            break
        report["notebooks"].append(result)
        print(
            f"run_notebooks: {path}: {len(result['cells'])} code cells in {result['seconds']:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    with open(args.report, "w") as f:
        json.dump(report, f, indent=1)
    if report["failure"]:
        print(f"run_notebooks: {report['failure']}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
