"""The clinic directory as data: the dataset's schema, loading and validation (``clinics``), building it from
the curated listings (``build``), and what it covers per state (``coverage``).
"""
