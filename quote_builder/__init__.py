"""Quote Builder: pricing AI-native SaaS deals (quote_builder.about has the version and the
licences)."""

__version__ = "0.1.0"
