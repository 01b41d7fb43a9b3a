"""Benchmarks: ``python -m bench`` (or ``make bench``) runs every ``bench_*.py`` module and prints one table.

Each module defines ``run(quick: bool) -> list[Row]``. Every figure is printed beside a baseline measured
in the same run, because the machine is shared and noisy: the targets are ratios, not absolute times.
"""
