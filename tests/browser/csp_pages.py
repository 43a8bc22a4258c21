"""A test-only URLconf: the portal plus one page with a chart (templates/includes/chart.html) and one control page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.urls import include, path

from reporting.charts import Chart, Series, chart_context

CHART_PAGE = """{% extends "base.html" %}{% load static %}
{% block content %}<h1>Grafiek</h1>{% include "includes/chart.html" with chart=chart %}{% endblock %}
{% block extra_scripts %}<script src="{% static 'vendor/plotly/plotly-portal.min.js' %}"></script>
<script src="{% static 'js/charts.js' %}"></script>{% endblock %}"""


def chart_page(request):
    chart = Chart(key="meldingen", title="Meldingen per kwartaal", categories=["2025 Q1", "2025 Q2", "2025 Q3"],
                  series=[Series("Helmond", [340, 355, "<5"], urls=["/maatregelen/"] * 3),
                          Series("Regio", [300, 310, 320], reference=True)],
                  kind="bar", y_title="Aantal")
    template = engines["django"].from_string(CHART_PAGE)
    return HttpResponse(template.render({"chart": chart_context(chart, csv_url="/x.csv")}, request))


def inline_style_page(request):
    # The control: an inline style the policy must refuse, so the test proves it sees violations.
    return HttpResponse('<!DOCTYPE html><html lang="nl"><head><title>x</title></head>'
                        '<body><p style="color: red">rood</p></body></html>')


def base_page(request):
    return render(request, "programme/organisation_list.html", {"organisations": []})


urlpatterns = [
    path("test/grafiek/", chart_page),
    path("test/inline-stijl/", inline_style_page),
    path("", include("ghnt_portal.urls")),
]
handler500 = "programme.portal.system_views.server_error"
