"""The document model and its renderers (HTML, Word, workbook, charts): what a report or a
council draft is made of, below the domains that fill it (``workbench.reports`` on top)."""
