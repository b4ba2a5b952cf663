"""Stage 1: read files into plain data, keeping where each value came from."""

from scoring.load.source import Source, read_source

__all__ = ["Source", "read_source"]
