/* Small behaviours of the portal's pages, kept out of the HTML so the Content Security Policy can forbid
   every inline script: a select that navigates on change, and a print button. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-navigate-prefix]");
    if (select && select.value) {
      window.location.href = select.dataset.navigatePrefix + encodeURIComponent(select.value) + "/";
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
