"""A FastAPI service; the app object lives in api/main.py, not main.py."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(title="greeter")


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return "hello from fastapi\n"


@app.get("/health")
def health() -> dict:
    return {"ok": True}
