"""Imports psycopg 3's pure-Python implementation and prints the libpq it loaded (no database needed)."""

import psycopg

print(f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__})")
print(f"libpq {psycopg.pq.version() // 10000}")
