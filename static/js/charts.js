/* Draws every chart on the page from its JSON data block; no inline script, so a strict CSP holds.
   A click on a bar or point follows the URL stored in its customdata (the filtered list behind it). */
(function () {
  "use strict";
  function draw(element) {
    var source = document.getElementById(element.dataset.chartSource);
    if (!source || typeof Plotly === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
    Plotly.newPlot(element, spec.data, spec.layout, config).then(function () {
      element.setAttribute("data-chart-ready", "true");
    });
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && point.customdata) { window.location.href = point.customdata; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(draw);
  });
})();
