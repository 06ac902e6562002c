"""publisher: accessible, multilingual patient-education handouts from Markdown seeds."""

__version__ = "0.1.0"
