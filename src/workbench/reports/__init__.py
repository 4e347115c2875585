"""Yearly reports: parameterized notebooks run by papermill, rendered to HTML, Word and Excel.

A report notebook narrates in French and shows its results through ``blocks`` (cover, text,
tables, figures), which display normally in Jupyter and also carry a machine-readable copy
(``application/vnd.workbench.*+json``). The runner executes the notebook, reads those copies
back from the executed notebook and renders the same document three ways.
"""
