(function () {
  var box = document.getElementById("filter");
  var count = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-op]"));
  var services = Array.prototype.slice.call(document.querySelectorAll("section.service"));
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-op");
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    services.forEach(function (s) {
      s.hidden = s.querySelector("tr[data-op]:not([hidden])") === null;
    });
    count.textContent = shown + " of " + rows.length + " operations";
  }
  // A filter can be linked to: index.html?q=words fills the box.
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { box.value = q; }
  box.addEventListener("input", apply);
  apply();
})();
