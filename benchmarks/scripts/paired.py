#!/usr/bin/env python3
"""Two commands timed side by side: A and B run in turn, round after round,
and each round's ratio A/B is taken pair by pair, so a machine that slows down
or speeds up during the run moves both and leaves the ratios alone.

    benchmarks/scripts/paired.py [--rounds N] [--warmup N] 'COMMAND A' 'COMMAND B'

Each command runs through `sh -c` with its output discarded; a command that
fails stops the run. Prints, for A and B, the median, minimum and maximum wall
time and the median CPU time (user + system of the command and its children),
then the median of the per-round ratios A/B with their range. The order within
a round alternates (A B, then B A) so neither always runs first.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall and CPU seconds of one run of `command`."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"`{command}` failed (exit {done.returncode}):\n{done.stderr.decode(errors='replace')}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def describe(name, command, walls, cpus):
    print(f"{name}: {command}")
    print(
        f"   wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}),"
        f" cpu median {statistics.median(cpus):.3f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("a")
    parser.add_argument("b")
    args = parser.parse_args()
    if args.rounds < 1 or args.warmup < 0:
        sys.exit("--rounds must be at least 1 and --warmup at least 0")
    for _ in range(args.warmup):
        run(args.a)
        run(args.b)
    result = {"a": ([], []), "b": ([], [])}
    for round_ in range(args.rounds):
        order = ("a", "b") if round_ % 2 == 0 else ("b", "a")
        for key in order:
            wall, cpu = run(getattr(args, key))
            result[key][0].append(wall)
            result[key][1].append(cpu)
    print(f"{args.rounds} rounds after {args.warmup} warm-up, load average {os.getloadavg()[0]:.2f} at the end")
    describe("A", args.a, *result["a"])
    describe("B", args.b, *result["b"])
    walls = [a / b for a, b in zip(result["a"][0], result["b"][0])]
    cpus = [a / b for a, b in zip(result["a"][1], result["b"][1]) if b > 0]
    line = f"A/B wall {statistics.median(walls):.2f}x (range {min(walls):.2f}-{max(walls):.2f})"
    if cpus:
        line += f", cpu {statistics.median(cpus):.2f}x"
    print(line)


if __name__ == "__main__":
    main()
