"""The economy: pure numpy mechanisms, the parameter schema and the composing model.

One module per mechanism (``industry``, ``pipeline``, ``investment``, ``accounts``,
``shocks``, ``drivers``, ``prices``), the time axis, the schema, and ``model`` which runs
them as named stages. Nothing here reads a file, draws a random number or prints.
"""
