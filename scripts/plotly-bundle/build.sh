#!/bin/sh
# Build static/vendor/plotly/plotly-portal.min.js from plotly.js's own sources on npm (versions pinned in
# package.json and package-lock.json), with only the trace types in entry.js. Needs node 18+ and npm; run it
# when upgrading plotly.js (together with the Python plotly package, see README "Layout") or adding a trace type.
set -eu
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
VERSION=$(node -p "require('plotly.js/package.json').version")
OUT=../../static/vendor/plotly/plotly-portal.min.js
# plotly.js's own bundler settings (its esbuild-config.js), minified, no CSS (the portal serves static/css/plotly.css).
# The first line is V8's explicit compile hint: Chromium compiles every function of the bundle while it downloads,
# on a background thread, instead of each one on the main thread when a chart first calls it (measured on the
# steering dashboard: 250 ms less main-thread work, README "Dashboards in the browser"). Other browsers ignore it.
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
  --define:global=window --define:define.amd=false --legal-comments=none --log-level=warning \
  --banner:js="//# allFunctionsCalledOnLoad
/* plotly.js (portal: scatter, bar, heatmap - minified) v$VERSION, built by scripts/plotly-bundle/build.sh. Copyright 2012-2026, Plotly, Inc. Licensed under the MIT license (LICENSE). */" \
  --outdir=build
mv build/entry.js "$OUT"
rm -rf build
echo "wrote $OUT ($(wc -c < "$OUT") bytes)"
