"""`python -m bot` is the `chinabio` command line."""

import sys

from bot.cli import main

sys.exit(main())
