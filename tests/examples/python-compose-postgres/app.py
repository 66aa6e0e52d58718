"""A Flask service that keeps its visits in PostgreSQL (DATABASE_URL, set by compose.yaml)."""

import os

import psycopg2
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from compose\n"


@app.get("/visits")
def visits():
    """Writes a row, then reads every row back: proves the database is reachable and writable."""
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, note text NOT NULL)")
        cur.execute("INSERT INTO visits (note) VALUES (%s)", ("stored in postgres",))
        cur.execute("SELECT count(*), max(note) FROM visits")
        count, note = cur.fetchone()
    return f"visits={count} note={note}\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
