"""A probe's own peak resident set, in kB: VmHWM from /proc/self/status (Linux), else getrusage.

Not getrusage's ru_maxrss where VmHWM exists: Linux carries ru_maxrss across exec, so a probe
started by a bench that had just built a 1 GB database reported the bench's peak (470 MB)
instead of its own; the audit verify probe read 431 MB that way. VmHWM belongs to the probe's
own memory map. Forked workers' ru_maxrss (RUSAGE_CHILDREN) does not carry the parent's peak:
it starts at the child's size at the fork (the parent's pages it shares included)."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
