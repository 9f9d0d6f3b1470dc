"""``contract-kit lint``: check payload files against the contract, with file:line:column.

One job per module: :mod:`~contract_kit.lint.discovery` finds the files,
:mod:`contract_kit.documents` reads and parses them safely (positions only for files with
findings), :mod:`~contract_kit.lint.documents` tells what a file holds and checks it with the
core (:func:`contract_kit.violations`), :mod:`~contract_kit.lint.runner` runs it all (on both
cores when there are many files), :mod:`~contract_kit.lint.output` and
:mod:`~contract_kit.lint.sarif` report, and :mod:`~contract_kit.lint.command` is the command
line. Nothing heavy is imported here.
"""
