"""The seed tutorial's notes app, trimmed: a Flask app that lists notes."""

from flask import Flask, jsonify

app = Flask(__name__)

NOTES = [{"id": 1, "text": "multi-stage builds keep toolchains out of the image"}]


@app.get("/")
def index():
    return "notes: %d\n" % len(NOTES)


@app.get("/notes")
def notes():
    return jsonify(NOTES)
