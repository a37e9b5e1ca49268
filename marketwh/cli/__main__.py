"""`python -m marketwh.cli`: the same command line as the `marketwh` script."""

import sys

from . import main

sys.exit(main())
