import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
application = get_wsgi_application()

# Refuse to serve with keys other than the database's (see zeren.core.keys).
from zeren.core.keys import KeyCheckedApplication, check_at_start  # noqa: E402

check_at_start()
application = KeyCheckedApplication(application)
