/* The case list's filters sit in a <details> (templates/cases/list.html): collapsed on small
   screens, where they would push the results two screens down; opened on wide screens, where
   they stand beside the results. Without JavaScript they are collapsed and open with a click
   (and are open whenever they hold an error). */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60.0625rem)");
  var panels = document.querySelectorAll("details[data-open-when-wide]");
  function apply() {
    if (wide.matches) {
      panels.forEach(function (panel) { panel.open = true; });
    }
  }
  apply();
  wide.addEventListener("change", apply);
}());
