"""Datasets for module persona_critique (to be written)."""
