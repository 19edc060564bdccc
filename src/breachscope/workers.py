"""Worker processes that die with the run that started them.

A run killed outright (SIGKILL, out of memory, power cut) cannot stop its process-pool
workers; without this they keep computing, holding the terminal's pipes open, and
notify's keep writing letters into out/ while the next run writes the same files.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: on Linux, have the kernel SIGKILL this worker when its parent dies.

    Pass ``initargs=(os.getpid(),)``; a worker whose parent is already gone exits at once.
    Elsewhere a no-op (workers then end when their queue closes).
    """
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(1)
