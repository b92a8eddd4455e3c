/* sourcebook: the timeline's company filter. Every event is in the page, so without JavaScript the
   whole year stays readable; this script adds one checkbox per company and hides the events of the
   companies unticked, saying how many are shown. */
(function () {
  "use strict";
  var box = document.querySelector(".company-filter");
  var list = document.querySelector(".timeline-events");
  if (!box || !list) return;
  var events = list.querySelectorAll(":scope > li.entry[data-company]");
  var names = {}, order = [];
  for (var i = 0; i < events.length; i++) {
    var id = events[i].getAttribute("data-company");
    if (!(id in names)) {
      var label = events[i].querySelector(".entry-company");
      names[id] = label ? label.textContent.trim() : id;
      order.push(id);
    }
  }
  if (order.length < 2) return;  // nothing to choose between
  order.sort(function (a, b) { return names[a].localeCompare(names[b]) || (a < b ? -1 : 1); });

  var fieldset = document.createElement("fieldset");
  var legend = document.createElement("legend");
  legend.textContent = "Show the events of";
  fieldset.appendChild(legend);
  var boxes = [];
  order.forEach(function (id) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = id;
    input.addEventListener("change", update);
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + names[id]));
    fieldset.appendChild(label);
    boxes.push(input);
  });
  var all = document.createElement("button");
  all.type = "button";
  all.textContent = "Show all";
  all.addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    update();
  });
  fieldset.appendChild(all);
  var status = document.createElement("p");
  status.className = "filter-status";
  status.setAttribute("role", "status");
  box.appendChild(fieldset);
  box.appendChild(status);
  box.hidden = false;

  function update() {
    var shown = {}, count = 0;
    boxes.forEach(function (b) { shown[b.value] = b.checked; });
    for (var i = 0; i < events.length; i++) {
      var visible = shown[events[i].getAttribute("data-company")];
      events[i].hidden = !visible;
      if (visible) count++;
    }
    status.textContent = "Showing " + count + " of " + events.length + " events.";
  }
  update();
})();
