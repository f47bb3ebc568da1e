// A folded group whose list is a page of its own (<details data-load-from="URL">): the first
// time it is opened, the list is fetched from that page (its element [data-load-part]) and
// put in the group. Without JavaScript, or when the fetch fails (an ended session, the network),
// the group keeps its link to that page.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;
  document.querySelectorAll("details[data-load-from]").forEach(function (group) {
    var target = group.querySelector("[data-load-target]");
    if (!target) return;
    var loading = false;

    function load() {
      if (!group.open || loading || group.dataset.loaded === "true") return;
      loading = true;
      target.setAttribute("aria-busy", "true");
      fetch(group.dataset.loadFrom, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          // A redirect is the log-in page (the session ended): keep the link.
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var part = page.querySelector("[data-load-part]");
          if (!part) throw new Error("no list");
          target.replaceChildren(document.importNode(part, true));
          group.dataset.loaded = "true";
        })
        .catch(function () {
          var note = target.querySelector("[data-load-error]");
          if (note) note.hidden = false;
        })
        .finally(function () {
          loading = false;
          target.removeAttribute("aria-busy");
        });
    }

    group.addEventListener("toggle", load);
    load(); // opened already (the browser's Back button restores an open group)
  });
})();
