"""A pseudo-terminal of a given size, and everything written to it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import termios


def pseudo_terminal(rows: int, columns: int) -> tuple[int, int]:
    """A new pseudo-terminal of `rows` × `columns`: (its leader, its follower)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return leader, follower


def drain(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end is closed; closes it."""
    output = bytearray()  # (bytes += chunk copied all that came before, at every chunk: a
    while True:           # preview of 100 MB that went on after SIGINT took minutes)
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return bytes(output)
