"""Benchmarks and the synthetic-catalogue generator (not shipped with the application)."""
