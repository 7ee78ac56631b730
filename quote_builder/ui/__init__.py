"""The desktop app: the only package that imports PySide6 (import-linter enforces it).

Windows and table models are thin adapters over ``quote_builder.services``; work that takes
longer than a frame leaves the GUI thread; PDFs render in a pre-warmed worker process."""
