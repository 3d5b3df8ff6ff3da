"""The package version (one place; read by results and batch provenance)."""

__version__ = "0.1.0"
