"""Entry point of the frozen bundle (PyInstaller runs this file as the program)."""

import multiprocessing

from belarchive.cli import run

if __name__ == "__main__":
    # The search index builds with worker processes; a frozen program must hand those
    # children to multiprocessing instead of starting the application again.
    multiprocessing.freeze_support()
    run()
