"""deskconsole: a keyboard-only front-desk console (see README.md)."""

__version__ = "0.1.0"
