"""The demo generator: realistic front-desk history for trying the console and for `make bench`.

Not a domain service: it writes rows in bulk straight into an empty store (see generator.py),
and shares with the services only their public parts (the audit chain's payload and digest,
PIN hashing, the etiquette checklist).
"""

from deskconsole.demo.generator import MAX_DAYS, PINS, SCALES, DemoResult, generate
from deskconsole.demo.target import fill

__all__ = ["MAX_DAYS", "PINS", "SCALES", "DemoResult", "fill", "generate"]
