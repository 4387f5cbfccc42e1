"""Datasets for module reconnection (to be written)."""
