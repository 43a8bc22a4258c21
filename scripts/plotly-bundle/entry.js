// The portal's plotly.js: scatter (lines; always part of plotly's core), bar (measures, goals, national overview,
// timeline) and heatmap (the self-scan heat map). Adding a trace type to a chart means adding it here and
// rebuilding (build.sh); static/vendor/plotly/plotly-portal.min.js is the result, committed.
var Plotly = require("plotly.js/lib/core");

Plotly.register([require("plotly.js/lib/bar"), require("plotly.js/lib/heatmap")]);

module.exports = Plotly;
