"""An application factory in the shape of Flask's tutorial: configuration and the SQLite
database live in the instance folder, which the app creates when it is missing."""

import os
import sqlite3

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "notes.sqlite"))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    @app.get("/")
    def index():
        with sqlite3.connect(app.config["DATABASE"]) as db:
            db.execute("CREATE TABLE IF NOT EXISTS visit (id INTEGER PRIMARY KEY)")
            db.execute("INSERT INTO visit DEFAULT VALUES")
            (count,) = db.execute("SELECT COUNT(*) FROM visit").fetchone()
        return f"notes: visit {count}, stored in {app.config['DATABASE']}\n"

    return app
