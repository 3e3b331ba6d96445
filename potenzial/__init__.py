"""potenzial: renewable-energy potentials per municipality from public geodata."""

__version__ = "0.1.0"
