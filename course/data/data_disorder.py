"""Datasets for module data_disorder (to be written)."""
