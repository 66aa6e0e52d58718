import sys

import uwsgi
from django.http import HttpResponse


def index(request):
    """What uWSGI expanded from the environment, and the venv the app runs in."""
    socket = uwsgi.opt["http-socket"].decode()
    return HttpResponse(f"uwsgi {uwsgi.version.decode()} http-socket {socket} worker {uwsgi.worker_id()} "
                        f"prefix {sys.prefix}\n", content_type="text/plain")
