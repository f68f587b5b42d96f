"""The `ipclaims` command (CONTRACT.md "Setup and CLI").

`parser.py` holds every command and option and imports nothing of the application, so `ipclaims --help`, a
sub-command's help and a usage error answer at once; each command names its handler as `"module:function"`, which
`run.py` imports only after the command line has been parsed. The service's own commands have one module each here
(`ipclaims serve` → `serve.py`, `ipclaims accounts …` → `accounts.py`), importing only what that command needs; a
domain's commands live in its own `cli.py` (`notices` and `inbox`: `mailroom/cli.py`; `webhooks`:
`integrations/cli.py`; `letters`: `letters/cli.py`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ipclaims.cli.parser import build_parser

__all__ = ["build_parser", "fail", "main"]


def fail(command: str, message: str) -> int:
    """A refusal the user can act on: one line on stderr, exit status 1, no traceback."""
    print(f"ipclaims {command}: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The application is imported only now: `--help`, `--version` and a usage error have exited above without it.
    from ipclaims.cli.run import run

    return run(args)
