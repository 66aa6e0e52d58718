"""A blog that writes where it runs: logs/blog.log in the working directory (made at start if
missing) and app.db beside config.py, created by `flask init-db` before gunicorn starts."""
import logging
import os
import sqlite3
from logging.handlers import RotatingFileHandler

from flask import Flask

from config import Config

app = Flask(__name__)
app.config.from_object(Config)

if not os.path.exists("logs"):
    os.mkdir("logs")
handler = RotatingFileHandler("logs/blog.log", maxBytes=10240, backupCount=3)
handler.setLevel(logging.INFO)
app.logger.addHandler(handler)
app.logger.setLevel(logging.INFO)
app.logger.info("blog startup")


def connect():
    return sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


@app.cli.command("init-db")
def init_db():
    with connect() as db:
        db.execute("CREATE TABLE IF NOT EXISTS visits (at TEXT DEFAULT CURRENT_TIMESTAMP)")
    print("database ready")


@app.get("/")
def index():
    with connect() as db:
        db.execute("INSERT INTO visits DEFAULT VALUES")
        visits = db.execute("SELECT COUNT(*) FROM visits").fetchone()[0]
    with open("logs/blog.log") as log:
        logged = "blog startup" in log.read()
    return f"visits: {visits}; logged: {logged}; code writable: {os.access('.', os.W_OK)}\n"
