"""Entry point of the frozen application.

One executable serves both programs: started as ``plq`` (the build script
links that name to it) it is the command line, otherwise the desktop window.
"""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    name = os.path.basename(sys.argv[0])
    if name.startswith("plq") and not name.startswith("plq-desktop"):
        from plq_desktop.cli import main
    else:
        from plq_desktop.gui.app import main
    sys.exit(main())
