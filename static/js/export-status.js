// Polls the status of a background export and reloads the page when it is finished, so that
// the server-rendered page offers the file (or the error). Without JavaScript the page has a
// "Vernieuwen" link instead.
(function () {
  "use strict";
  var box = document.getElementById("export-status");
  if (!box || box.dataset.finished === "true" || !window.fetch) return;
  var state = box.querySelector("[data-export-state]");
  var bar = box.querySelector("[data-export-progress]");
  var text = box.querySelector("[data-export-progress-text]");
  var refresh = box.querySelector("[data-export-refresh]");
  if (refresh) refresh.parentNode.hidden = true;

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        state.textContent = job.state_label;
        if (bar) { bar.value = job.progress; bar.textContent = job.progress + "%"; }
        if (text) text.textContent = job.progress + "%";
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        // Show the manual refresh link again when polling fails.
        if (refresh) refresh.parentNode.hidden = false;
      });
  }
  window.setTimeout(poll, 1000);
})();
