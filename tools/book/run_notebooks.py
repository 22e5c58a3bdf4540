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
import signal
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


def descendants(pid):
    """The processes below `pid`, each as (pid, command line), read from /proc (Linux only;
    elsewhere there is nothing to read and the list is empty)."""
    children = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name, in brackets, may hold spaces: the fields after the last ")" are fixed.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append((child, cmdline(child)))
            stack.append(child)
    return found


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return None


def stop_leftovers(spawned):
    """Stops what a notebook's code started and its kernel left behind.

    A notebook may start a daemon (a private redis-server) whose owner stops it when dropped; but
    a kernel that is shut down kills its code's process without running destructors, and the
    daemon lives on, adopted by init. So the processes below the kernel are listed before it
    shuts down (after every cell, since evcxr may replace its worker process midway), and any
    still running afterwards, with the same command line (not a reused pid), get SIGTERM."""
    for pid, line in spawned:
        if line is not None and cmdline(pid) == line:
            try:
                os.kill(pid, signal.SIGTERM)
                command = line.replace(b"\0", b" ").decode(errors="replace").strip()
                print(f"run_notebooks: stopped process {pid} left by the kernel: {command}",
                      file=sys.stderr, flush=True)
            except OSError:
                pass


def kernel_pid(client):
    provisioner = getattr(getattr(client, "km", None), "provisioner", None)
    return getattr(provisioner, "pid", None)


def run_cells(client, nb, path, timeout, cells, watch):
    """Runs every code cell in order; the first failure stops the notebook. `watch` is called
    after each cell, to list the processes the cell's code started."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        t0 = time.monotonic()
        try:
            client.execute_cell(cell, index)
            watch()
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
    # Every process seen below the kernel after a cell: evcxr may restart its worker process
    # during a notebook, and what the old worker started is then no longer below the kernel.
    spawned = {}

    def watch():
        pid = kernel_pid(client)
        spawned.update(descendants(pid) if pid else [])

    try:
        with client.setup_kernel():
            try:
                run_cells(client, nb, path, timeout, cells, watch)
            finally:
                watch()
    finally:
        stop_leftovers(spawned.items())
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
