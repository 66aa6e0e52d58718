"""sizes: human-readable sizes."""
