#!/usr/bin/env python3
"""Start-up figures for `mockround practice` on the offline backend.

Prints, as medians of RUNS whole-process runs (default 10):

* time to first prompt: from spawning the binary to the first byte of the
  interviewer's opening (the problem statement) on its stdout, both for a
  scripted round (`--answers EMPTY_FILE`, stdout a pipe) and for an
  interactive round in a pseudo-terminal (the process is killed once the
  opening is on screen);
* whole-process wall time and peak RSS (`/usr/bin/time -v`) of the scripted
  round with an empty script, and of `rubrics list` for comparison.

Usage: scripts/measure-startup.py [BINARY] [RUNS]
       (default BINARY: $CARGO_TARGET_DIR/release/mockround or target/release/mockround)
Standard library only; needs /usr/bin/time (GNU time) for the RSS figures.
"""

import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

PROBLEM = "clickstream"
# The first words of the clickstream statement: the opening is on screen.
MARKER = b"Design a clickstream pipeline"
TIMEOUT_S = 20.0


def binary() -> str:
    if len(sys.argv) > 1:
        return sys.argv[1]
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    return os.path.join(target, "release", "mockround")


def until_marker(read_fd: int, started: float) -> float:
    """Milliseconds from `started` until MARKER has been read from `read_fd`."""
    seen = b""
    deadline = started + TIMEOUT_S
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([read_fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(read_fd, 65536)
        except OSError:  # the pty closes with EIO when the child exits
            break
        if not chunk:
            break
        seen += chunk
        if MARKER in seen:
            return (time.perf_counter() - started) * 1000.0
    raise RuntimeError(f"the opening never appeared; output so far: {seen[-400:]!r}")


def scripted_first_prompt(exe: str, work: str, empty: str) -> float:
    data = tempfile.mkdtemp(dir=work)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "practice", "-p", PROBLEM, "--answers", empty, "--data-dir", data],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        return until_marker(proc.stdout.fileno(), started)
    finally:
        proc.stdout.close()
        proc.wait()


def interactive_first_prompt(exe: str, work: str) -> float:
    data = tempfile.mkdtemp(dir=work)
    env = dict(os.environ, TERM="xterm", NO_COLOR="1")
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(exe, [exe, "practice", "-p", PROBLEM, "--data-dir", data], env)
    try:
        return until_marker(fd, started)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def time_v(cmd: list) -> tuple:
    """(wall ms, peak RSS KiB) of one run under GNU time."""
    out = subprocess.run(
        ["/usr/bin/time", "-v", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        check=True,
    ).stderr.decode()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", out)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
    if not wall or not rss:
        raise RuntimeError(f"unexpected /usr/bin/time output:\n{out}")
    h, m, s = wall.groups()
    ms = ((int(h or 0) * 60 + int(m)) * 60 + float(s)) * 1000.0
    return ms, int(rss.group(1))


def median(xs) -> float:
    return statistics.median(xs)


def main() -> None:
    exe = binary()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    if not os.access(exe, os.X_OK):
        sys.exit(f"{exe}: not an executable; build with `cargo build --release` first")
    work = tempfile.mkdtemp(prefix="mockround-startup-")
    try:
        empty = os.path.join(work, "empty.txt")
        open(empty, "w").close()
        scripted = [scripted_first_prompt(exe, work, empty) for _ in range(runs)]
        interactive = [interactive_first_prompt(exe, work) for _ in range(runs)]
        whole = [
            time_v([exe, "practice", "-p", PROBLEM, "--answers", empty,
                    "--data-dir", tempfile.mkdtemp(dir=work)])
            for _ in range(runs)
        ]
        listing = [time_v([exe, "rubrics", "list"]) for _ in range(runs)]
        print(f"binary: {exe}; median of {runs} runs; load average {os.getloadavg()[0]:.1f}")
        print(f"first prompt, scripted (--answers EMPTY): {median(scripted):6.1f} ms"
              f"  (min {min(scripted):.1f}, max {max(scripted):.1f})")
        print(f"first prompt, interactive (PTY):          {median(interactive):6.1f} ms"
              f"  (min {min(interactive):.1f}, max {max(interactive):.1f})")
        print(f"whole process, practice --answers EMPTY:  {median(w for w, _ in whole):6.1f} ms,"
              f" peak RSS {median(r for _, r in whole) / 1024:.1f} MiB")
        print(f"whole process, rubrics list:              {median(w for w, _ in listing):6.1f} ms,"
              f" peak RSS {median(r for _, r in listing) / 1024:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
