"""The standalone build's entry point (PyInstaller): the `quote-builder` executable.

``freeze_support()`` comes first: the app's child processes (the PDF renderer, the
database process, usage jobs) are started with multiprocessing's "spawn", which in a
frozen app runs this same executable with ``--multiprocessing-fork``; freeze_support()
turns such a start into the child and never reaches the app below.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from quote_builder.launcher import main

    executable = sys.executable.replace("\\", "/")
    # The windowed executable (Windows) and the macOS app bundle always open the desktop app.
    windowed = executable.lower().endswith("/quote-builder-app.exe") or (
        ".app/Contents/MacOS/" in executable and len(sys.argv) == 1
    )
    sys.exit(main(["gui", *sys.argv[1:]] if windowed else None))
