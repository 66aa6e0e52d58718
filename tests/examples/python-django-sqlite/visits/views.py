from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse

from visits.models import Visit


def index(request):
    Visit.objects.create()
    stylesheet = staticfiles_storage.url("visits/site.css")  # the manifest collectstatic wrote
    return HttpResponse(f"visits: {Visit.objects.count()}; stylesheet {stylesheet}\n", content_type="text/plain")
