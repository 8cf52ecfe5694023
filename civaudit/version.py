"""The civaudit version: one place, read by the package, the cache keys and the manifest."""

__version__ = "0.1.0"
