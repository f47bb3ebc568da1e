// Forms marked data-submit-once: the submit button is disabled after the first click, so a
// double click or an impatient second click sends one request. A help only: the server stores
// a form page once whatever the browser does (woonoverlast/submissions).
(function () {
  "use strict";

  function buttonsOf(form) {
    return form.querySelectorAll('button[type="submit"], input[type="submit"]');
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-submit-once]") || event.defaultPrevented) {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // After this tick, so that the clicked button's name and value are still sent.
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });

  // Back to a page the browser kept in memory: the form can be used again (the server
  // recognises a page it already saved).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitting;
      buttonsOf(form).forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });
})();
