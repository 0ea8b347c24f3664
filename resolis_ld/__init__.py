"""resolis-ld: RESOLIS practice reports as validated, published linked open data."""

__version__ = "0.1.0"
