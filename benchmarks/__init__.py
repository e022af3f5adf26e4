"""Benchmarks: print medians and ratios; not timed tests."""
