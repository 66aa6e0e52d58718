"""Imports psycopg2 built from source and prints the libpq it links (no database needed)."""

import psycopg2
import psycopg2.extensions

version = psycopg2.extensions.libpq_version()
print(f"psycopg2 {psycopg2.__version__.split()[0]}")
print(f"libpq {version // 10000}")
