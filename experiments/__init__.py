"""Experiments: built-in scenarios, sweeps, analysis."""
