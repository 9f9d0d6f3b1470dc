"""The fake Decisioning runtime: decision requests checked, PQL rules evaluated, offers chosen.

Pure functions over plain data (the stored instances by kind and ``@id``), so the fake, the
assertions and the benchmark call the same code.
"""
