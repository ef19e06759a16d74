#!/usr/bin/python3
"""Generates Quire's notebook test corpus (core/notebook/src/test/resources/corpus/).

Every notebook here is written by this script: the code cells are Quire's own, and they are EXECUTED with a real
IPython kernel (nbclient + ipykernel), so the outputs are what Jupyter really produces (PNG and SVG figures from
matplotlib, a pandas DataFrame, IPython.display outputs, update_display_data, clear_output, \\r progress, stderr, an
ANSI-coloured traceback, ...). Parts that need packages not installed here (ipywidgets) or fields Jupyter never writes
(unknown fields, unknown cell and output types, unusual source splits) are added by hand after execution.

Re-run (from the repository root; needs Debian's python3-nbformat, python3-nbclient, python3-ipykernel,
python3-matplotlib and python3-pandas):

    /usr/bin/python3 core/notebook/src/test/corpus/make_corpus.py

It rewrites the corpus folder. Outputs differ from run to run (timings, memory addresses, SVG ids), so commit the
regenerated files only when the corpus itself should change. Each written notebook is checked against nbformat's own
schema (except the deliberate extensions in *-extensions.ipynb, which the Java tests strip before validating).

Naming: v4.N-*.ipynb are nbformat 4.N, v3-*.ipynb are nbformat 3. Fields and types whose names start with "x_" are
deliberate extensions that nbformat's schema does not allow but that readers must keep.
"""

import base64
import io
import json
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbformat import v4  # noqa: E402
from nbformat.v4.rwbase import split_lines  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "corpus"


# ----------------------------------------------------------------------------------------------------- helpers

def execute(nb, timing=False):
    """Runs all code cells of a notebook on a real python3 kernel, keeping errors as outputs."""
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True, record_timing=timing,
                            resources={"metadata": {"path": str(OUT)}})
    client.execute()
    return nb


def notebook(cells, **metadata):
    nb = v4.new_notebook(cells=cells)
    nb.metadata.update({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    })
    nb.metadata.update(metadata)
    return nb


def code(source, **metadata):
    return v4.new_code_cell(source, metadata=metadata)


def markdown(source, **metadata):
    return v4.new_markdown_cell(source, metadata=metadata)


def raw(source, **metadata):
    return v4.new_raw_cell(source, metadata=metadata)


def png_bytes(width=2.0, height=1.2, dpi=30):
    """A small real PNG drawn with matplotlib (deterministic: no metadata, fixed data)."""
    fig, ax = plt.subplots(figsize=(width, height), dpi=dpi)
    ax.bar(["a", "b", "c"], [3, 1, 2], color=["#1f77b4", "#ff7f0e", "#2ca02c"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def set_minor(nb, minor):
    """Makes a 4.5 notebook an older 4.x one: no cell ids before 4.5."""
    nb.nbformat_minor = minor
    if minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
    return nb


def dumps(nb):
    """Serialises exactly as nbformat.writes does (indent=1, sorted keys, UTF-8 unescaped, trailing newline)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def write(name, nb, version=None, expect_valid=True):
    """Validates (unless the file carries deliberate extensions) and writes one corpus file."""
    plain = json.loads(json.dumps(nb))
    if expect_valid:
        nbformat.validate(plain, version=version or plain["nbformat"], version_minor=plain.get("nbformat_minor"))
    path = OUT / name
    path.write_text(dumps(plain), encoding="utf-8")
    print(f"{path.stat().st_size:>9}  {name}")


# ----------------------------------------------------------------------------------------------------- notebooks

SETUP = (
    "%matplotlib inline\n"
    "import sys, math\n"
    "import matplotlib\n"
    "import matplotlib.pyplot as plt\n"
    "matplotlib.rcParams['figure.dpi'] = 40\n"
    "matplotlib.rcParams['svg.hashsalt'] = 'quire'\n"
)

PLOT = (
    "xs = [i / 10 for i in range(60)]\n"
    "fig, ax = plt.subplots(figsize=(3, 2))\n"
    "ax.plot(xs, [math.sin(x) for x in xs], label='sin')\n"
    "ax.plot(xs, [math.cos(x) for x in xs], label='cos')\n"
    "ax.legend()\n"
    "plt.show()\n"
)

UNICODE = (
    "print('中文 日本語 한국어')\n"
    "print('emoji: 😀 👩\u200d👩\u200d👧\u200d👦 🇫🇷')\n"
    "print('RTL: שלום עולם / مرحبا بالعالم')\n"
    "print('combining: e\\u0301 vs \\u00e9, a\\u0308\\u0304')\n"
    "'Ω≈ç√∫ — “quotes” ‘single’ \\u2028 line separator'\n"
)


def rich_notebook():
    """4.5: most output kinds a Python kernel produces, plus hand-made widget parts and source forms."""
    attachment = base64.b64encode(png_bytes()).decode("ascii")
    cells = [
        markdown("# Rich outputs — リッチ出力\n\nEvery output kind Jupyter writes, produced by a real kernel.\n"),
        code(SETUP, tags=["setup"]),
        code(PLOT, tags=["plot", "png"]),
        code("%config InlineBackend.figure_formats = ['svg']\n" + PLOT, tags=["plot", "svg"]),
        code("import pandas as pd\n"
             "df = pd.DataFrame({'city': ['Zürich', '東京', 'São Paulo'], 'population': [421878, 13960000, 12330000],"
             " 'share': [0.25, 0.5, 0.125]})\n"
             "df", tags=["dataframe"]),
        code("from IPython.display import display, HTML, Markdown, Latex, JSON, Javascript\n"
             "display(HTML('<b>bold</b> <i>html</i> &amp; entities'))\n"
             "display(Markdown('**markdown** with `code` and a [link](https://jupyter.org)'))\n"
             "display(Latex(r'$\\int_0^1 x^2\\,dx = \\frac{1}{3}$'))\n"
             "display(JSON({'a': 1, 'b': [1.5, None, True], 'nested': {'ü': 'ß'}}))\n"
             "display(Javascript('console.log(\"hello from the kernel\")'))\n"),
        code("handle = display(Markdown('step 0 of 3'), display_id='progress')\n"
             "for i in range(1, 3):\n"
             "    handle.update(Markdown(f'step {i} of 3'))\n"),
        code("handle.update(Markdown('done: 3 of 3'))\n"
             "print('updated the display in the cell above')\n"),
        code("from IPython.display import clear_output\n"
             "for i in range(5):\n"
             "    clear_output(wait=True)\n"
             "    print(f'iteration {i}')\n"),
        code("import sys\n"
             "for i in range(0, 101, 20):\n"
             "    sys.stdout.write(f'\\rprogress {i:3d}%')\n"
             "    sys.stdout.flush()\n"
             "sys.stdout.write('\\n')\n"
             "print('finished')\n"),
        code("print('warning: disk almost full', file=sys.stderr)\n"
             "print('normal output')\n"
             "print('second warning', file=sys.stderr)\n"),
        code("def divide(a, b):\n"
             "    return a / b\n"
             "\n"
             "divide(1, 0)\n", tags=["raises-exception"]),
        code(UNICODE, tags=["unicode"]),
        markdown("A chart kept as an attachment:\n\n![chart](attachment:chart.png)\n",
                 tags=["attachment"]),
        raw("\\section{Raw LaTeX}\nPassed through to LaTeX exports.\n", raw_mimetype="text/latex"),
        raw("Raw reStructuredText\n====================\n", raw_mimetype="text/restructuredtext"),
        raw("<div>raw html, no mimetype metadata</div>"),
        code("# a widget output, recorded by hand (ipywidgets is not installed)\nslider = None\n", tags=["widget"]),
        code("x = 1\n"
             "y = 2\n"
             "x + y\n"),
        code("s = 'ab'\nt = 'c'\n"),
    ]
    nb = notebook(cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"rich-{i:02d}"
    execute(nb, timing=True)
    nb.cells[13].attachments = {"chart.png": {"image/png": attachment}}
    model_id = "7f3e1a2b9c8d4e5f8a6b0c1d2e3f4a5b"
    nb.cells[17].outputs = [v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2, "version_minor": 0},
        "text/plain": "IntSlider(value=3, description='n', max=10)",
    })]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0,
        "state": {
            model_id: {
                "model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                "model_module_version": "1.5.0",
                "state": {"value": 3, "min": 0, "max": 10, "step": 1, "description": "n",
                          "layout": "IPY_MODEL_0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
            },
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9": {
                "model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
                "model_module_version": "1.2.0", "state": {"width": "50%"},
            },
        },
    }}
    split_lines(nb)
    # Source fields in all three stored forms: nbformat's list of lines (the default above), one string, and a
    # list split NOT at newlines, which nbformat accepts and readers must keep as stored.
    nb.cells[18].source = "x = 1\ny = 2\nx + y\n"
    nb.cells[19].source = ["s = 'a", "b'\nt", " = 'c'\n"]
    nb.cells[0].source = "".join(nb.cells[0].source)
    return nb


def long_line_notebook():
    """4.5: one stdout line of 200 KB (deterministic pseudo-random letters, no newline inside)."""
    nb = notebook([
        code("import random\n"
             "rng = random.Random(20240601)\n"
             "line = ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789 ') for _ in range(200_000))\n"
             "print(line)\n"
             "len(line)\n"),
    ])
    nb.cells[0].id = "long-line"
    execute(nb)
    split_lines(nb)
    return nb


def extensions_notebook():
    """4.5 with fields and types nbformat does not define, and numbers that stress number handling."""
    nb = notebook([
        markdown("Fields starting with `x_` are extensions that a lossless reader must keep.\n"),
        code("print('hello')\n", tags=["extended"]),
        code("1.5 * 2\n"),
    ], title="Extensions")
    nb.cells[0].id = "ext-md"
    nb.cells[1].id = "ext-code"
    nb.cells[2].id = "ext-result"
    execute(nb)
    nb["x_custom"] = {"tool": "quire-corpus", "floats": [0.1, 1e-07, 1.5e300, 10.0, -0.0, 2.5],
                      "big": 123456789012345678901234567890, "nested": {"ok": True, "none": None}}
    nb.metadata["x_numbers"] = {"pi": 3.141592653589793, "tiny": 5e-324, "int": 42, "neg": -7}
    nb.cells[0]["x_custom"] = {"reviewed": True}
    nb.cells[1]["x_custom"] = {"runs": 3, "ratio": 0.75}
    nb.cells[1].outputs[0]["x_custom"] = {"channel": "iopub", "seq": 1}
    nb.cells[2].outputs[0]["x_custom"] = "kept"
    nb.cells[2].outputs.append(nbformat.from_dict({"output_type": "x_snapshot", "payload": {"w": 640, "h": 480.5}, "note": ["a\n", "b"]}))
    nb.cells.append(nbformat.from_dict({"cell_type": "x_chart", "id": "ext-chart", "metadata": {"tags": ["chart"]},
                     "source": ["chart:\n", "  kind: bar\n"], "spec": {"bars": [3, 1, 2]}}))
    nb.cells.append(v4.new_raw_cell(["ab", "c\nd", "\n"], id="ext-raw-split"))
    split_lines(nb)
    return nb


def minor_notebooks():
    """4.0 to 4.4: smaller executed notebooks, each without cell ids, each with a different emphasis."""
    result = {}

    nb = notebook([
        markdown("# nbformat 4.0\nStreams, a result and an error.\n"),
        code("print('stdout line 1')\nprint('stdout line 2')\n"),
        code("import sys\nsys.stderr.write('stderr text\\n')\n"),
        code("[n * n for n in range(8)]\n"),
        code("undefined_name + 1\n"),
        code(""),
    ])
    execute(nb)
    result["v4.0-streams-and-errors.ipynb"] = set_minor(nb, 0)

    nb = notebook([
        markdown("# nbformat 4.1\n![dot](attachment:dot.png)\n"),
        code("%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.figure(figsize=(1.5, 1), dpi=30)\n"
             "plt.scatter([1, 2, 3], [3, 1, 2])\nplt.show()\n"),
        code("from IPython.display import display, HTML\ndisplay(HTML('<table><tr><td>1</td></tr></table>'))\n"),
    ])
    execute(nb)
    nb.cells[0].attachments = {"dot.png": {"image/png": base64.b64encode(png_bytes(1, 1, 20)).decode("ascii")}}
    result["v4.1-attachments-and-images.ipynb"] = set_minor(nb, 1)

    nb = notebook([
        markdown("# nbformat 4.2\nNotebook title and authors metadata.\n"),
        code("{'answer': 42, 'list': [1, 2, 3]}\n"),
    ], title="A titled notebook", authors=[{"name": "Ada Lovelace"}, {"name": "李白"}])
    execute(nb)
    result["v4.2-title-authors.ipynb"] = set_minor(nb, 2)

    nb = notebook([
        markdown("# nbformat 4.3\nHidden source and outputs.\n", jupyter={"source_hidden": True}),
        code("print('this output is hidden')\n", jupyter={"outputs_hidden": True}),
        raw("raw with hidden source\n", jupyter={"source_hidden": True}, raw_mimetype="text/markdown"),
        code(UNICODE),
    ])
    execute(nb)
    result["v4.3-jupyter-metadata.ipynb"] = set_minor(nb, 3)

    nb = notebook([
        markdown("# nbformat 4.4\nExecution timing metadata and clear_output.\n"),
        code("from IPython.display import clear_output\nfor i in range(3):\n    clear_output(wait=True)\n"
             "    print('tick', i)\n"),
        code("import time\nsum(range(1000))\n", tags=["timed"]),
    ])
    execute(nb, timing=True)
    result["v4.4-execution-timing.ipynb"] = set_minor(nb, 4)

    for nb in result.values():
        split_lines(nb)
    return result


def v3_converted():
    """nbformat 3 as IPython 2/3 wrote it: an executed notebook downgraded with nbformat's own converter."""
    nb = notebook([
        markdown("# Converted to version 3"),
        markdown("## Outputs of several kinds"),
        markdown("Plain markdown\nover two lines.\n"),
        code("%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.figure(figsize=(1.5, 1), dpi=30)\n"
             "plt.plot([1, 3, 2])\nplt.show()\n"),
        code("from IPython.display import display, HTML, JSON, Latex, SVG\n"
             "display(HTML('<em>html</em>'))\n"
             "display(JSON({'key': 'value', 'n': [1, 2]}))\n"
             "display(Latex('$x^2$'))\n"
             "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\">"
             "<rect width=\"4\" height=\"4\"/></svg>'))\n"),
        code("print('out')\nimport sys; print('err', file=sys.stderr)\n'result'\n"),
        code("raise ValueError('bad value: ü')\n"),
        raw("raw text\n"),
    ])
    execute(nb)
    v3nb = nbformat.convert(nb, 3)
    return json.loads(nbformat.writes(v3nb, version=3))


TINY_PNG = base64.b64encode(png_bytes(0.5, 0.5, 16)).decode("ascii")


def v3_handwritten():
    """nbformat 3 written by hand: heading cells, aliases, prompt numbers, split fields, a vendor MIME key."""
    return {
        "metadata": {"name": "handwritten", "signature": "sha256:0123abcd"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{
            "cells": [
                {"cell_type": "heading", "level": 1, "metadata": {}, "source": "Handwritten v3"},
                {"cell_type": "heading", "level": 3, "metadata": {}, "source": ["A heading\n", "over two lines"]},
                {"cell_type": "markdown", "metadata": {}, "source": ["Some *markdown*\n", "with two lines\n"]},
                {"cell_type": "code", "collapsed": True, "input": ["x = 40\n", "x + 2"], "language": "python",
                 "metadata": {"tags": ["answer"]}, "prompt_number": 7, "outputs": [
                     {"output_type": "pyout", "prompt_number": 7, "text": "42", "html": ["<b>42</b>\n", "<i>!</i>"],
                      "latex": "$42$", "metadata": {}},
                     {"output_type": "stream", "stream": "stderr", "text": ["careful\n", "really\n"]},
                     {"output_type": "stream", "stream": "stdout", "text": "to stdout\n"},
                 ]},
                {"cell_type": "code", "collapsed": False, "input": "show()", "language": "python", "metadata": {},
                 "prompt_number": 8, "outputs": [
                     {"output_type": "display_data", "png": TINY_PNG, "text": ["<Figure>"],
                      "metadata": {"png": {"width": 16, "height": 16}}},
                     {"output_type": "display_data", "javascript": "alert('hi')", "application/x-vendor": ["kept\n", "as data"]},
                 ]},
                {"cell_type": "code", "collapsed": False, "input": "1/0", "language": "python", "metadata": {},
                 "prompt_number": 9, "outputs": [
                     {"output_type": "pyerr", "ename": "ZeroDivisionError", "evalue": "division by zero",
                      "traceback": ["\u001b[0;31m----> 1\u001b[0m 1/0",
                                    "\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"]},
                 ]},
                {"cell_type": "code", "collapsed": False, "input": "", "language": "python", "metadata": {},
                 "outputs": []},
                {"cell_type": "raw", "metadata": {"format": "text/plain"}, "source": "raw v3 text"},
            ],
            "metadata": {},
        }],
    }


def v3_multi_worksheet():
    """nbformat 3 with two worksheets, which nbformat 4 flattens into one cell list."""
    def ws(n):
        return {"metadata": {"ws": n}, "cells": [
            {"cell_type": "heading", "level": 2, "metadata": {}, "source": f"Worksheet {n}"},
            {"cell_type": "code", "collapsed": False, "input": f"print({n})", "language": "python", "metadata": {},
             "prompt_number": n, "outputs": [{"output_type": "stream", "stream": "stdout", "text": f"{n}\n"}]},
            {"cell_type": "markdown", "metadata": {}, "source": f"End of worksheet {n}. ✓"},
        ]}

    return {"metadata": {"name": "two worksheets", "language": "python"}, "nbformat": 3, "nbformat_minor": 0,
            "worksheets": [ws(1), ws(2)]}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.ipynb"):
        old.unlink()
    write("v4.5-rich-outputs.ipynb", rich_notebook())
    write("v4.5-long-line.ipynb", long_line_notebook())
    write("v4.5-extensions.ipynb", extensions_notebook(), expect_valid=False)
    for name, nb in minor_notebooks().items():
        write(name, nb)
    write("v3-converted.ipynb", v3_converted(), version=3)
    write("v3-handwritten.ipynb", v3_handwritten(), version=3)
    write("v3-multi-worksheet.ipynb", v3_multi_worksheet(), version=3)
    total = sum(p.stat().st_size for p in OUT.glob("*.ipynb"))
    print(f"{total:>9}  total")
    if total > 3_000_000:
        sys.exit("corpus is larger than 3 MB")


if __name__ == "__main__":
    os.chdir(OUT.parent)
    main()
