"""Benchmarks (bench/run.py) and the synthetic corpus generator (bench/generate.py)."""
