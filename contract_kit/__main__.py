"""``python -m contract_kit``: the same as the ``contract-kit`` command."""

import sys

from contract_kit.cli import main

sys.exit(main())
