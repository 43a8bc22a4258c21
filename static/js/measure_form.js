/* The measure form offers only the goals and themes of the chosen action line, as its help text says.
   Options of other lines are hidden and disabled (so they are not sent); without a chosen line, all show.
   A static file: the Content Security Policy forbids inline scripts. */
(function () {
  "use strict";
  var form = document.querySelector("form.measure-form");
  if (!form) { return; }
  var line = form.querySelector("select[name=action_line]");
  if (!line) { return; }
  function narrow() {
    form.querySelectorAll("input[data-action-line]").forEach(function (input) {
      var other = line.value !== "" && input.dataset.actionLine !== line.value;
      var wrapper = input.closest(".form-check") || input.parentElement;
      input.disabled = other;
      wrapper.hidden = other;
    });
  }
  line.addEventListener("change", narrow);
  narrow();
})();
