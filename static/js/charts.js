/* Draws every chart on the page from its JSON data block; no inline script, so a strict CSP holds.
   A click on a bar or point follows the URL stored in its customdata (the filtered list behind it). */
(function () {
  "use strict";
  // Dutch month and day names and number format for date axes and hover labels.
  var DUTCH = {
    moduleType: "locale",
    name: "nl",
    dictionary: {
      "Download plot as a PNG": "Download de grafiek als PNG",
      "Autoscale": "Automatische schaal",
      "Reset axes": "Assen herstellen",
      "Zoom in": "Inzoomen",
      "Zoom out": "Uitzoomen",
      "Zoom": "Zoomen",
      "Pan": "Verschuiven",
      "Double-click to zoom back out": "Dubbelklik om uit te zoomen"
    },
    format: {
      days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
      shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
      months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d-%m-%Y",
      decimal: ",",
      thousands: "."
    }
  };
  // A legend below the plot wraps into as many rows as the width needs (more at 200% zoom): grow the chart by
  // what it lacks, so every entry stays visible instead of being cut off at the bottom.
  function fitLegend(element, attempts) {
    var layout = element.layout;
    var entries = element.querySelectorAll(".legend .traces");
    if (!entries.length || !layout.legend || layout.legend.orientation !== "h") { return Promise.resolve(); }
    var bottom = 0;
    entries.forEach(function (entry) { bottom = Math.max(bottom, entry.getBoundingClientRect().bottom); });
    var lacking = Math.ceil(bottom - element.getBoundingClientRect().bottom) + 8;
    if (lacking <= 8 || (attempts || 0) > 2) { return Promise.resolve(); }
    return Plotly.relayout(element, {
      height: (layout.height || element.clientHeight) + lacking,
      "margin.b": (layout.margin && layout.margin.b || 80) + lacking
    }).then(function () { return fitLegend(element, (attempts || 0) + 1); });
  }
  // plotly makes room for long category labels beside a horizontal chart only after drawing it, and then draws
  // the whole chart again. Measured beforehand in the same font (a canvas measures text as the SVG does), the room
  // is there from the first drawing: the margin plotly would push to (widest label, 13 px to the axis, the title's
  // font size, which plotly makes 1.2 times the chart's), rounded up, so at most a pixel wider. Where the estimate
  // falls short plotly widens it as before; where the plot would be narrower than plotly's minimum (64 px) nothing
  // is reserved. Returns the margin to restore after drawing, so a later resize makes its own room as plotly always
  // did.
  var ruler = document.createElement("canvas").getContext("2d");
  function reserveLabelRoom(element, layout, data) {
    var axis = layout.yaxis;
    if (!axis || axis.type !== "category" || !axis.automargin || !data.length) { return null; }
    var labels = axis.ticktext || axis.categoryarray || data[0].y || [];
    var font = layout.font || {};
    var size = font.size || 12;
    ruler.font = size + "px " + (font.family || "sans-serif");
    var widest = 0;
    labels.forEach(function (label) {
      var text = String(label).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      widest = Math.max(widest, ruler.measureText(text).width);
    });
    var margin = layout.margin || {};
    var room = Math.ceil(widest + 13.5 + (axis.title && axis.title.text ? Math.round(1.2 * size) : 0));
    var before = margin.l === undefined ? 80 : margin.l;
    if (room <= before || element.clientWidth - room - (margin.r === undefined ? 80 : margin.r) < 64) { return null; }
    layout.margin = Object.assign({}, margin, { l: room });
    return before;
  }
  function draw(element) {
    if (element.hasAttribute("data-chart-drawn")) { return Promise.resolve(); }
    element.setAttribute("data-chart-drawn", "true");
    var source = document.getElementById(element.dataset.chartSource);
    if (!source || typeof Plotly === "undefined") { return Promise.resolve(); }
    var spec = JSON.parse(source.textContent);
    var config = { displaylogo: false, responsive: true, locale: "nl", modeBarButtonsToRemove: ["select2d", "lasso2d"] };
    var marginBefore = reserveLabelRoom(element, spec.layout, spec.data);
    return Plotly.newPlot(element, spec.data, spec.layout, config).then(function () {
      if (marginBefore !== null) { element.layout.margin.l = marginBefore; }
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata) { window.location.href = point.customdata; }
      });
      return fitLegend(element);
    }).then(function () {
      element.setAttribute("data-chart-ready", "true");
    });
  }
  // A task of its own, right away: between two charts the browser handles input and paints, but does not wait
  // for an idle moment (that left gaps of 10-60 ms between charts). A message, not setTimeout: nested timeouts are
  // held back by at least 4 ms each.
  var channel = new MessageChannel();
  var tasks = [];
  channel.port1.onmessage = function () { tasks.shift()(); };
  function soon(callback) {
    tasks.push(callback);
    channel.port2.postMessage(null);
  }
  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < (window.innerHeight || document.documentElement.clientHeight);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Plotly !== "undefined") { Plotly.register(DUTCH); }
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart-source]"));
    // The charts on the screen are drawn at once; the others one at a time after the first screen is painted, each
    // in a task of its own in the order of the page, so they are ready before a reader scrolls to them without
    // delaying the first screen (in a tab opened in the background: once it is shown). A chart that comes into view
    // before its turn is drawn at once.
    var waiting = charts.filter(function (element) { return !inView(element); });
    charts.filter(inView).forEach(draw);
    function next() {
      var element = waiting.shift();
      if (!element) { return; }
      var later = function () { soon(next); };
      draw(element).then(later, later);
    }
    requestAnimationFrame(function () { soon(next); });
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
        });
      });
      waiting.forEach(function (element) { observer.observe(element); });
    }
    window.addEventListener("beforeprint", function () { charts.forEach(draw); });
  });
})();
