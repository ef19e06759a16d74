#!/usr/bin/env python3
"""Per-cell round trip of Jupyter's own Python client (jupyter_client) on ipykernel: the reference for
RunnerOverhead's 'bare client' figure. Usage: /usr/bin/python3 jupyter-client-per-cell.py [cells] [rounds]"""
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

cells = int(sys.argv[1]) if len(sys.argv) > 1 else 200
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
km, kc = start_new_kernel(kernel_name="python3")
try:
    per_cell = []
    for r in range(rounds + 1):
        start = time.perf_counter()
        for i in range(cells):
            msg_id = kc.execute(f"x{i} = {i} + 1\nx{i}")
            kc.get_shell_msg(timeout=30)
            while True:  # wait for this request's idle, as a notebook executor must
                msg = kc.get_iopub_msg(timeout=30)
                if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"):
                    break
        ms = (time.perf_counter() - start) * 1000 / cells
        print(f"round {r}: jupyter_client {ms:.3f} ms/cell")
        if r > 0:
            per_cell.append(ms)
    print(f"median over {rounds} rounds of {cells} cells: jupyter_client {statistics.median(per_cell):.3f} ms/cell")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
