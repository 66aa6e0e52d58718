"""Backing services a Python app evidently uses, for compose.yaml: PostgreSQL and Redis.

Each service is proposed with the evidence that names it (a dependency and where it is declared,
a Django engine, a connection URL), never from a name alone; the answer is ``compose_services``.
"""

from __future__ import annotations

import re

from scaffolder._repo import Repo
from scaffolder.providers import LIKELY, Detection
from scaffolder.providers.python._deps import DepSet

# Drivers whose only use is talking to the service.
_DRIVERS = {
    "postgres": ("psycopg", "psycopg-binary", "psycopg2", "psycopg2-binary", "asyncpg"),
    "redis": ("redis", "rq"),  # RQ keeps its queues only in Redis
}
_URLS = {
    "postgres": re.compile(r"\b(?:DATABASE_URL\b[^\n]{0,40}?)?postgres(?:ql)?(?:\+\w+)?://"),
    "redis": re.compile(r"\bredis(?:s)?://"),
}
_DJANGO_POSTGRES = re.compile(r"django\.db\.backends\.postgresql")
# Files that name connection URLs and settings (not the tests, not the documentation).
_CONFIG_FILES = (".env.example", ".env.sample", ".env.template", "settings.toml", "config.toml")


def detect(repo: Repo, det: Detection, py_files: list[str], deps: DepSet) -> None:
    """Add ``compose_services`` (with its evidence) and ``compose_env_file``."""
    evidence: dict[str, list[str]] = {"postgres": [], "redis": []}
    by_name = {d.name: d for d in deps.deps}
    for service, drivers in _DRIVERS.items():
        evidence[service] += [f"{name} ({by_name[name].source})" for name in drivers if name in by_name]
    broker_users = [name for name in ("celery", "dramatiq", "huey") if name in by_name]
    for rel in [*py_files, *(f for f in _CONFIG_FILES if repo.exists(f))]:
        text = repo.read_text(rel, long_lines=True)
        if _DJANGO_POSTGRES.search(text):
            evidence["postgres"].append(f"Django's postgresql engine ({rel})")
        if _URLS["postgres"].search(text):
            evidence["postgres"].append(f"a postgres:// URL ({rel})")
        if _URLS["redis"].search(text):
            kind = f"{broker_users[0]} with a redis:// broker" if broker_users else "a redis:// URL"
            evidence["redis"].append(f"{kind} ({rel})")
    found = {service: why for service, why in evidence.items() if why}
    det.add("compose_services", sorted(found),
            "; ".join(f"{service}: {', '.join(dict.fromkeys(why))}" for service, why in sorted(found.items()))
            or "no database or cache client among the dependencies", LIKELY)
    det.add("compose_env_file", repo.exists(".env"), ".env" if repo.exists(".env") else "no .env file", LIKELY)
