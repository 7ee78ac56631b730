"""``python -m quote_builder``: the ``quote-builder`` command, for a Python whose
``bin`` folder is not on ``PATH`` (a virtual environment used without activating it)."""

import sys

from quote_builder.launcher import main

if __name__ == "__main__":
    sys.exit(main())
