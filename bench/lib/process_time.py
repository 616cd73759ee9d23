"""Whole-process timing for the benchmarks: wall time from spawn to exit, and the CPU time
(user + system) of that process alone, from wait4's rusage.

The process is started with posix_spawn, so the timer adds no fork of its own to what it
measures (a shell loop does: bash forking itself costs a few milliseconds per run on a VM
where page faults are dear, and the old bash-loop harness charged that to every process).

As a module: run_once(cmd, expect=None) -> (wall_s, cpu_s).
As a script:  process_time.py RUNS CMD [ARG...]
              prints "MEDIAN_WALL_MS MEAN_WALL_MS P90_WALL_MS MIN_WALL_MS MEDIAN_CPU_MS" over
              RUNS runs after one untimed warm-up run.
"""
import os
import statistics
import sys
import tempfile
import time


def run_once(cmd, expect=None):
    """Runs cmd once with its output in a scratch file; exits with the output if the command
    fails or, when expect (bytes) is given, if its standard output does not contain it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        start = time.perf_counter()
        pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        rc = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
        if rc != 0 or (expect is not None and expect not in output):
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed: rc={rc}\n{output.decode(errors='replace')}\n"
                     f"{err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def summarize(samples):
    """(median wall, min wall, median CPU) in seconds."""
    wall = [w for w, _ in samples]
    cpu = [c for _, c in samples]
    return statistics.median(wall), min(wall), statistics.median(cpu)


def main():
    runs, cmd = int(sys.argv[1]), sys.argv[2:]
    run_once(cmd)  # warm-up: page cache
    samples = [run_once(cmd) for _ in range(runs)]
    wall, fastest, cpu = summarize(samples)
    walls = sorted(w for w, _ in samples)
    mean, p90 = statistics.fmean(walls), walls[min(len(walls) - 1, int(0.9 * len(walls)))]
    print(" ".join(f"{v * 1000:.2f}" for v in (wall, mean, p90, fastest, cpu)))


if __name__ == "__main__":
    main()
