"""Django's own Dutch for the four messages whose Dutch Django REST framework words differently.

Every installed app's catalogue overrides Django's, so with rest_framework installed the portal's forms would say
"Dit veld is vereist." instead of "Dit veld is verplicht."; the project's catalogue (LOCALE_PATHS) overrides every
app's, and it only holds what the source names, hence these markers.
"""

from django.utils.translation import gettext_noop

DJANGO_WORDING = [
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
]
