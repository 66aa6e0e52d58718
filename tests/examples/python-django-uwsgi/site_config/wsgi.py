"""WSGI config: uWSGI loads this file (wsgi-file in etc/uwsgi.ini)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

application = get_wsgi_application()
