#!/usr/bin/python3
"""Writes docs/examples/outputs.ipynb: one cell per output type Quire's desktop renders, with outputs computed by a
real ipykernel through nbclient (so the traceback, the pandas table and the figures are what Jupyter produces).

Needs (Debian): python3-nbclient python3-ipykernel python3-matplotlib python3-pandas python3-pil.
Usage: /usr/bin/python3 docs/examples/make_outputs_notebook.py
The screenshots in docs/images/ are taken from the result by packaging/screenshots/take.sh.
"""
import os

import nbclient
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = os.path.dirname(os.path.abspath(__file__))

CELLS = [
    new_markdown_cell(
        "# Every output type\n"
        "Markdown with **bold**, `code`, a [link](https://jupyter.org), inline math $e^{i\\pi} + 1 = 0$ and display math\n"
        "$$\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}$$"),
    new_code_cell(
        "import sys, time\n"
        "print('\\x1b[1;32mok\\x1b[0m build \\x1b[33mwarning\\x1b[0m \\x1b[38;5;208m256 colours\\x1b[0m "
        "\\x1b[38;2;120;80;250m24-bit\\x1b[0m')\n"
        "for p in range(0, 101, 25):\n"
        "    print(f'\\rprogress {p:3d}%', end='')\n"
        "print()\n"
        "print('\\x1b[31mto stderr\\x1b[0m', file=sys.stderr)"),
    new_code_cell("{'answer': 42, 'primes': [2, 3, 5, 7, 11]}"),
    new_code_cell(
        "from IPython.display import Markdown, HTML, SVG, Latex, JSON, Image, display\n"
        "display(Markdown('A *markdown* output with a table:\\n\\n| x | x² |\\n|---|---|\\n| 2 | 4 |\\n| 3 | 9 |'))"),
    new_code_cell(
        "import pandas as pd\n"
        "pd.DataFrame({'city': ['Lyon', 'Oslo', 'Quito'], 'population': [522_000, 709_000, 2_800_000],\n"
        "              'altitude_m': [173, 23, 2850]})"),
    new_code_cell(
        "display(HTML('''<h3 style=\"margin:0\">Plain HTML</h3>\n"
        "<p>With <b>bold</b>, <span style=\"color:#d1242f\">colour</span>, <code>code</code> and a list:</p>\n"
        "<ul><li>rendered by WebKit (WebView)</li><li>scripts off, as in an untrusted notebook</li></ul>\n"
        "<blockquote style=\"border-left:3px solid #8250df;margin:0;padding-left:8px\">a styled quote</blockquote>'''))"),
    new_code_cell(
        "import io, matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt, numpy as np\n"
        "x = np.linspace(0, 2 * np.pi, 200)\n"
        "def figure():\n"
        "    fig, ax = plt.subplots(figsize=(4.2, 2.2), dpi=80)\n"
        "    ax.plot(x, np.sin(x), label='sin'); ax.plot(x, np.cos(x), label='cos'); ax.legend(loc='upper right')\n"
        "    fig.tight_layout()\n"
        "    return fig\n"
        "def encoded(fmt):\n"
        "    buffer = io.BytesIO(); fig = figure(); fig.savefig(buffer, format=fmt); plt.close(fig)\n"
        "    return buffer.getvalue()\n"
        "display(Image(encoded('png'), format='png'))"),
    new_code_cell("display(Image(encoded('jpeg'), format='jpeg'))"),
    new_code_cell(
        "display(SVG('''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"260\" height=\"90\">\n"
        "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#0969da\"/>"
        "<stop offset=\"1\" stop-color=\"#8250df\"/></linearGradient></defs>\n"
        "<rect x=\"4\" y=\"4\" width=\"252\" height=\"82\" rx=\"14\" fill=\"url(#g)\"/>\n"
        "<circle cx=\"45\" cy=\"45\" r=\"24\" fill=\"#ffd33d\" opacity=\"0.9\"/>\n"
        "<text x=\"85\" y=\"53\" font-family=\"sans-serif\" font-size=\"22\" fill=\"white\">SVG output</text>\n"
        "</svg>'''))"),
    new_code_cell(
        "display(Latex(r'$$\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6} \\qquad "
        "\\mathbf{A} = \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$$'))"),
    new_code_cell(
        "display(JSON({'name': 'quire', 'version': [0, 1, 0], 'features': {'outputs': 12, 'themes': ['light', 'dark']},"
        " 'stable': False, 'license': None}))"),
    new_code_cell("def divide(a, b):\n    return a / b\n\ndivide(1, 0)"),
]


def main():
    notebook = new_notebook(cells=CELLS, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True).execute()
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    path = os.path.join(HERE, "outputs.ipynb")
    nbformat.write(notebook, path)
    print("wrote", path)


if __name__ == "__main__":
    main()
