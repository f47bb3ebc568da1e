/* A table wider than its box scrolls sideways inside it (.table-wrapper). Say so above it,
   while it does (the first column stays in view: static/css/woonoverlast.css). */
(function () {
  "use strict";
  var wrappers = document.querySelectorAll(".table-wrapper");
  function update() {
    wrappers.forEach(function (wrapper) {
      var cue = wrapper.previousElementSibling;
      if (!cue || !cue.classList.contains("table-scroll-cue")) {
        cue = document.createElement("p");
        cue.className = "table-scroll-cue";
        cue.textContent = "Schuif de tabel opzij voor de andere kolommen.";
        wrapper.parentNode.insertBefore(cue, wrapper);
      }
      cue.classList.toggle("table-scroll-cue--shown", wrapper.scrollWidth > wrapper.clientWidth + 1);
    });
  }
  update();
  window.addEventListener("resize", update);
}());
