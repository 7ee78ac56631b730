"""Use cases: the layer the CLI and the app call (design.md). It is the only layer that
will open database transactions once the store lands."""
