"""A Flask application factory in the shape of Flask's own tutorial: create_app(test_config=None)."""

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(GREETING="hello from the blog factory")
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.route("/")
    def index():
        return app.config["GREETING"]

    return app
