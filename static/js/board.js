/* The planning board: confirm before publishing, follow a planning run's progress, draw the plan on a map.
   Every text a person reads comes from the page (data-* attributes and the map's JSON block). */
(function () {
  "use strict";

  // Forms that change what drivers or households see ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  followProgress(document.getElementById("run-progress"));

  var dataNode = document.getElementById("board-map-data");
  var mapNode = document.getElementById("board-map");
  if (dataNode && mapNode && window.L) drawMap(JSON.parse(dataNode.textContent), mapNode);

  function followProgress(panel) {
    if (!panel || !panel.dataset.statusUrl) return;
    var bar = panel.querySelector("progress");
    var text = panel.querySelector("[data-status-text]");
    var waiting = panel.querySelector("[data-waiting]");
    function poll() {
      fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (state) {
          bar.value = state.progress;
          text.textContent = state.status_label + " · " + state.progress + " %";
          if (waiting) waiting.hidden = !state.waiting;
          // The page shows the finished plan (or the failure) as the server renders it.
          if (state.finished) window.location.reload();
          else window.setTimeout(poll, 1000);
        })
        .catch(function () {
          window.setTimeout(poll, 3000); // a dropped connection: keep asking, a little slower
        });
    }
    window.setTimeout(poll, 1000);
  }

  function drawMap(data, node) {
    // Quarter zoom steps: a town's rounds fill the frame instead of the next whole zoom level down.
    var map = L.map(node, { scrollWheelZoom: false, zoomSnap: 0.25 });
    var note = document.getElementById("map-offline-note");
    function withoutTiles() {
      node.classList.add("no-tiles");
      if (note) note.hidden = false;
    }
    if (navigator.onLine && data.tiles) {
      var tiles = L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution });
      tiles.on("tileerror", withoutTiles);
      tiles.addTo(map);
    } else {
      withoutTiles();
    }

    var points = [];
    function popupText(text) {
      var element = document.createElement("span");
      element.textContent = text; // names come from people's records: never read as HTML
      return element;
    }
    data.depots.forEach(function (depot) {
      L.marker(depot.point, {
        icon: L.divIcon({ className: "map-depot", html: "", iconSize: [16, 16] }),
        title: depot.name,
      }).bindPopup(popupText(depot.name)).addTo(map);
      points.push(depot.point);
    });
    data.rounds.forEach(function (round) {
      var line = [round.depot].concat(round.stops.map(function (stop) { return stop.point; }), [round.depot]);
      L.polyline(line, { color: round.colour, weight: 3, opacity: 0.85 }).addTo(map);
      round.stops.forEach(function (stop) {
        var badge = document.createElement("span");
        badge.textContent = String(stop.sequence);
        badge.style.background = round.colour;
        L.marker(stop.point, {
          icon: L.divIcon({ className: "map-stop", html: badge, iconSize: [24, 24], iconAnchor: [12, 12] }),
          title: stop.label,
        }).bindPopup(popupText(stop.label)).addTo(map);
        points.push(stop.point);
      });
    });
    data.left_out.forEach(function (order) {
      L.circleMarker(order.point, { radius: 7, color: "#b3261e", weight: 2, dashArray: "3 3", fillOpacity: 0.15 })
        .bindPopup(popupText(order.label)).addTo(map);
      points.push(order.point);
    });
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
  }
})();
