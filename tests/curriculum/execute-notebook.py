"""Executes a notebook with nbclient, as `jupyter nbconvert --execute` does, and on a failing cell prints what the
learner sees under it (tslab writes an error to the cell's stderr; its execute reply carries no name or message, so
nbconvert's own report says only "<Error>:").

usage: execute-notebook.py <notebook.ipynb> <executed.ipynb> <timeout per cell, s>
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

source, target, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
notebook = nbformat.read(source, as_version=4)
# The kernel starts beside the notebook, as Jupyter starts it: notebooks import the kit as "../dist/src".
resources = {"metadata": {"path": os.path.dirname(os.path.abspath(source))}}
client = NotebookClient(notebook, timeout=timeout, kernel_name="tslab", resources=resources)
try:
    client.execute()
except CellExecutionError:
    executed = [cell for cell in notebook.cells if cell.get("execution_count") is not None]
    failed = executed[-1] if executed else None
    shown = "".join(o.get("text", "") for o in (failed or {}).get("outputs", []) if o.get("name") == "stderr")
    cell_id = (failed or {}).get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
    sys.stderr.write(f"cell {cell_id} failed; the learner sees:\n{shown}\n")
    sys.exit(1)
finally:
    nbformat.write(notebook, target)
