"""Backing services for compose.yaml: each is found with the evidence that names it."""

from __future__ import annotations

import pytest

from scaffolder import _schema
from scaffolder.providers import LIKELY
from tests.helpers import detect_python, fact

APP = "from flask import Flask\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("files", "services", "evidence"),
    [
        ({"requirements.txt": "flask\npsycopg[binary]==3.2\n"}, ["postgres"], "psycopg (requirements.txt:2)"),
        ({"requirements.txt": "psycopg2==2.9.11\n"}, ["postgres"], "psycopg2 (requirements.txt:1)"),
        ({"requirements.txt": "asyncpg\n"}, ["postgres"], "asyncpg (requirements.txt:1)"),
        ({"requirements.txt": "django\n",
          "site/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"},
         ["postgres"], "Django's postgresql engine (site/settings.py)"),
        ({"requirements.txt": "sqlalchemy\n",
          "db.py": "URL = os.environ.get('DATABASE_URL', 'postgresql+psycopg://u@db/app')\n"},
         ["postgres"], "a postgres:// URL (db.py)"),
        ({"requirements.txt": "redis==5.0\n"}, ["redis"], "redis (requirements.txt:1)"),
        ({"requirements.txt": "rq\n"}, ["redis"], "rq (requirements.txt:1)"),
        ({"requirements.txt": "celery\n", "tasks.py": "app = Celery('t', broker='redis://localhost:6379/0')\n"},
         ["redis"], "celery with a redis:// broker (tasks.py)"),
        ({"requirements.txt": "psycopg2-binary\nredis\n"}, ["postgres", "redis"], "redis: redis (requirements.txt:2)"),
    ],
)
def test_service_found_with_its_evidence(tmp_path, files, services, evidence):
    det = detect_python(tmp_path, {"app.py": APP, **files})
    found = fact(det, "compose_services")
    assert found.value == services
    assert evidence in found.source
    assert found.certainty == LIKELY  # a proposal the user confirms, never a silent choice
    assert _schema.problem("compose_services", found.value) == ""


def test_no_evidence_no_service(tmp_path):
    # A Celery app with an AMQP broker uses no Redis; a word in a comment is no dependency.
    det = detect_python(tmp_path, {"app.py": APP + "# postgres some day\n", "requirements.txt": "celery\nflask\n",
                                   "tasks.py": "app = Celery('t', broker='amqp://rabbit//')\n"})
    assert fact(det, "compose_services").value == []
    assert fact(det, "compose_services").source == "no database or cache client among the dependencies"


def test_env_file_recorded_when_present(tmp_path):
    assert fact(detect_python(tmp_path / "a", {"app.py": APP}), "compose_env_file").value is False
    det = detect_python(tmp_path / "b", {"app.py": APP, ".env": "X=1\n"})
    assert fact(det, "compose_env_file").value is True


@pytest.mark.parametrize("value", [["mysql"], ["postgres", "postgres"], "postgres", [["postgres"]]])
def test_unknown_or_malformed_services_refused(value):
    assert "compose_services" in _schema.problem("compose_services", value)
