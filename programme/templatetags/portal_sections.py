"""Template access to the extension sections of shared pages, so a page gains sections without its view changing."""

from django import template

from programme.portal.extensions import measure_sections as registered_measure_sections
from programme.portal.extensions import render_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def measure_sections(context, measure):
    request = context.get("request")
    if request is None:
        return []
    return render_sections(registered_measure_sections, request, measure)
