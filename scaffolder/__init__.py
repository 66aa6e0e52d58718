"""scaffold: detect a repository's toolchain and render an optimized container build."""

__version__ = "0.1.0"
