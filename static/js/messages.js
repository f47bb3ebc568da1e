/* The messages of the last action ("Stap is vastgelegd", or why it was refused) are rendered at
   the top of the page. After a save the app often sends the user to a part further down
   (/casussen/WO-2026-0042/#maatregel-7): the browser scrolls there and the message, sometimes
   the only word on what happened, is out of sight above. Move the messages to just before the
   part the address points at, so they are where the user lands. Without JavaScript, or
   without such a part, they stay at the top. */
(function () {
  "use strict";
  var box = document.querySelector("main .messages");
  if (!box || !window.location.hash) {
    return;
  }
  var target;
  try {
    target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  } catch (error) {
    return;
  }
  if (!target || target.contains(box) || !document.querySelector("main").contains(target)) {
    return;
  }
  // Not between the rows of a table or the items of a list: before the table or list then.
  var place = target.closest("table, ul, ol") || target;
  if (place !== target && !place.contains(target)) {
    place = target;
  }
  place = place.closest(".table-wrapper") || place;
  box.classList.add("messages--at-target");
  place.parentNode.insertBefore(box, place);
  // The browser scrolls to the address's part itself once the page has loaded, which would
  // put the messages just above the window again: show them after that too.
  function show() {
    box.scrollIntoView({ block: "start" });
  }
  show();
  if (document.readyState === "complete") {
    window.requestAnimationFrame(show);
  } else {
    window.addEventListener("load", function () { window.requestAnimationFrame(show); });
  }
}());
