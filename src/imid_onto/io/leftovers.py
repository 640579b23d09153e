"""What a killed process leaves behind, and the next run's cleaning up after it.

A folder imid-onto works in for a while (HermiT's temporary folder, a store being built) is
named with its process's id (:func:`owned_prefix`); the next run removes those of processes
that are no longer alive (:func:`remove_dead`). A child process (HermiT's JVM) is made to
die with its parent, where the system allows it (Linux, :func:`die_with_parent`). See
``docs/design/release.md`` (leftovers of killed runs).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["alive", "owned_prefix", "remove_dead", "die_with_parent"]


def alive(pid: int) -> bool:
    """Is process ``pid`` running (on this machine)? False where there is no cheap test."""
    if os.name != "posix":
        return False  # no cheap test (os.kill(pid, 0) would signal the process on Windows)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owned_prefix(prefix: str) -> str:
    """``prefix`` with this process's id: the start of the name of a folder it works in."""
    return f"{prefix}{os.getpid()}-"


def remove_dead(folder: Path, prefix: str) -> None:
    """Remove what processes no longer alive left in ``folder`` under names made by
    :func:`owned_prefix` (``prefix``, a process id, ``-``)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name[len(prefix) :].split("-")[0] if name.startswith(prefix) else ""
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            path = folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for a child process that must not outlive this one: on Linux, the
    kernel kills the child when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).
    None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    parent = os.getpid()

    def arrange() -> None:
        prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the call: nobody would kill the child
            os._exit(1)

    return arrange
