"""One build at a time per warehouse.

Every build of a warehouse writes the same private file (.building/<name>.duckdb next to
it): a fixed path keeps dbt's profile, and so its partial parsing, the same from one build
to the next. Two builds of one warehouse would then write one file, so a build first takes
an exclusive lock. The lock is an flock on .building/<name>.lock: the kernel releases it
when the last process holding it ends, even on SIGKILL, so a killed build never leaves a
lock that blocks the next one. The dbt and ingest processes the build starts inherit it:
while any of them still runs, the private file is in use and no other build may start."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path


class BuildLocked(Exception):
    pass


@dataclass
class BuildLock:
    path: Path
    warehouse: Path
    fd: int = -1

    @classmethod
    def for_warehouse(cls, warehouse: Path) -> "BuildLock":
        return cls(private_folder(warehouse) / f"{warehouse.name}.lock", warehouse)

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise BuildLocked(f"another build of {self.warehouse} is running (pid {holder}); "
                              f"it holds {self.path}. Wait for it to finish.") from None
        # The holder's pid, for the message above; the flock, not this text, is the lock.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Closing the descriptor releases the flock (unless a child still holds it).
        os.close(self.fd)
        self.fd = -1


def private_folder(warehouse: Path) -> Path:
    return warehouse.parent / ".building"
