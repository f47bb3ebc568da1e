/* The session warning (templates/base.html): a few minutes before the session ends without
   activity, a dialog offers to stay logged in; that posts to the keep-alive endpoint, which
   renews the session and says how long it now lasts. Without JavaScript nothing shows, and a
   form posted after the end is kept for after the log-in (woonoverlast/accounts/sessions.py). */
(function () {
  "use strict";
  var dialog = document.getElementById("sessie-waarschuwing");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var form = dialog.querySelector("form");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var text = dialog.querySelector("[data-session-text]");
  var stayButton = form.querySelector("button[type=submit]");
  var warnSeconds = parseInt(dialog.getAttribute("data-warn-seconds"), 10) || 300;
  var endsAt = 0;
  var warnTimer = null;
  var tickTimer = null;

  function inWords(milliseconds) {
    var minutes = Math.ceil(milliseconds / 60000);
    return minutes <= 1 ? "minder dan een minuut" : minutes + " minuten";
  }

  function ended() {
    window.clearInterval(tickTimer);
    stayButton.hidden = true;
    text.textContent = "Uw sessie is verlopen. Wat u nu opslaat gaat niet verloren: " +
      "na opnieuw inloggen staat het weer in het formulier.";
  }

  function tick() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      ended();
    } else {
      countdown.textContent = inWords(left);
    }
  }

  function warn() {
    if (!dialog.open) {
      dialog.showModal();
    }
    tick();
    window.clearInterval(tickTimer);
    tickTimer = window.setInterval(tick, 10000);
  }

  function schedule(secondsLeft) {
    endsAt = Date.now() + secondsLeft * 1000;
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(warn, Math.max(0, secondsLeft - warnSeconds) * 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("sessie verlopen");
      }
      return response.json();
    }).then(function (data) {
      window.clearInterval(tickTimer);
      dialog.close();
      schedule(data.seconden);
    }).catch(ended);
  });

  dialog.querySelector("[data-session-close]").addEventListener("click", function () {
    dialog.close();
  });

  schedule(parseInt(dialog.getAttribute("data-seconds-left"), 10) || 0);
}());
