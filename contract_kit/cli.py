"""The ``contract-kit`` command line.

Exit codes: 0 success; 2 a usage error. Each subcommand imports only what it needs, so the
command starts fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contract-kit",
        description="The Adobe Offer Library (xcore) fallback-offer contract, executable.",
        epilog="Exit codes: 0 success, 2 usage error.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the fake Offer Library over HTTP until Ctrl-C or SIGTERM",
        description=(
            "Serve a fresh, in-memory fake of the Offer Library API under /data/core/xcore/. "
            "The first line printed is its base URL. Requests that break the contract get the "
            "error answer the real service would give, and an access line on stderr."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument(
        "--port",
        type=int,
        default=0,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    arguments = _parser().parse_args(argv)
    if arguments.command == "serve":
        from contract_kit.fake.server import serve

        return serve(arguments.host, arguments.port)
    return 2  # pragma: no cover - argparse refuses unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
