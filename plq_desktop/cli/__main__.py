"""``python -m plq_desktop.cli``."""

import sys

from plq_desktop.cli import main

if __name__ == "__main__":   # worker processes of plq batch import this module again
    sys.exit(main())
