"""Datasets for module algorithm_faith (to be written)."""
