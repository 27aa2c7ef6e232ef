"""HiGHS, made silent: the one way the engine creates a solver.

highspy prints its banner ("Running HiGHS ...") to the process's standard output when
the first solver of a process is made, before ``silent()`` can be called; a command
whose output is JSON or CSV must not carry it. The first solver is therefore made
with the C-level standard output pointed at the null device.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

__all__ = ["new_highs"]

_lock = threading.Lock()
_first = True


def new_highs() -> highspy.Highs:
    """A HiGHS solver that prints nothing."""
    global _first
    with _lock:
        if _first:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _first = False
        else:
            highs = highspy.Highs()
    highs.silent()
    return highs
