"""Settings beside the code, as microblog's config.py has them: SQLite next to this file unless
DATABASE_URL says otherwise."""
import os

basedir = os.path.abspath(os.path.dirname(__file__))


class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(basedir, "app.db")
