"""A tiny Flask service served by gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from flask\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
