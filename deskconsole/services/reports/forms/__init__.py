"""One module per report (its `REPORT`); the registry (`services/reports/__init__.py`) finds
them by name, so adding a report touches no other module."""
