"""A shop front served by gunicorn, as the Procfile says (written for a platform that sets --bind)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "shop open\n"
