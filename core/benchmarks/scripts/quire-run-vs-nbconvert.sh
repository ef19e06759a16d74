#!/usr/bin/env bash
# Times `quire run` against `jupyter nbconvert --execute` on the same trivial notebooks, same machine, same run.
# Needs: hyperfine, python3-nbconvert, python3-ipykernel, and a built distribution (./mvnw -q package -DskipTests).
# Usage: core/benchmarks/scripts/quire-run-vs-nbconvert.sh [RUNS]
set -euo pipefail
# Comparable runs: the server on its class-data-sharing archive, not the ahead-of-time cache whose first runs
# record and then build it in the background (decision 0036).
export QUIRE_AOT="${QUIRE_AOT:-off}"
cd "$(dirname "$0")/../../.."
runs=${1:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_notebook() { # cells file
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
          "source": f"x{i} = {i} + 1\nx{i}"} for i in range(n)]
nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
      "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(path, "w"), indent=1)
PY
}
make_notebook 50 "$work/trivial50.ipynb"
make_notebook 1 "$work/trivial1.ipynb"

quire=launcher/target/quire/bin/quire
hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/run.md" \
    -n "quire run (50 cells)" "$quire run $work/trivial50.ipynb $work/q50.ipynb --no-progress-bar" \
    -n "nbconvert --execute (50 cells)" "/usr/bin/python3 -m nbconvert --to notebook --execute $work/trivial50.ipynb --output $work/n50.ipynb" \
    -n "quire run (1 cell)" "$quire run $work/trivial1.ipynb $work/q1.ipynb --no-progress-bar" \
    -n "nbconvert --execute (1 cell)" "/usr/bin/python3 -m nbconvert --to notebook --execute $work/trivial1.ipynb --output $work/n1.ipynb"
cat "$work/run.md"
