"""Participation workbench for Guingamp-Paimpol Agglomération.

Sub-packages, one per domain: ``forms`` (questionnaires), ``storage`` (schema, migrations,
queries), ``territory`` (communes), ``demo`` (synthetic data), ``web`` (Voilà edge), ``cli``.
Importing this package imports nothing heavy: the participant path must stay light.
"""

__version__ = "0.1.0"
