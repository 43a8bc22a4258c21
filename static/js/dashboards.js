/* Dashboard page behaviour without inline script (CSP): the print button of the municipality page. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print-page]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
