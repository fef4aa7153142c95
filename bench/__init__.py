"""
revtrack's benchmarks: `make bench` runs them all (`python -m bench`).

Each `bench_*.py` module has a `main()` that prints a table of ratios
against the alternatives its issue names, measured in the same run. Name
modules on the command line to run only those: `python -m bench model`.
"""
