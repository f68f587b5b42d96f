"""`python -m ipclaims.cli`, the same as the `ipclaims` script."""

import sys

from ipclaims.cli import main

if __name__ == "__main__":
    sys.exit(main())
