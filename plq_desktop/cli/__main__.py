"""``python -m plq_desktop.cli``."""

import sys

from plq_desktop.cli import main

sys.exit(main())
