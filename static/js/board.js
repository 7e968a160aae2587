/* The planning board: confirm before publishing, follow a planning run's progress, draw the plan on a map with
   the vans under way, open a large day's rounds in place, and move a stop by dragging its row.
   Every text a person reads comes from the page (data-* attributes and the map's JSON block). A module: it runs
   once the page is parsed, after Leaflet's deferred script. */

const followProgress = (panel) => {
  if (!panel || !panel.dataset.statusUrl) return;
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-status-text]");
  const waiting = panel.querySelector("[data-waiting]");
  const poll = () => {
    fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((state) => {
        bar.value = state.progress;
        text.textContent = `${state.status_label} · ${state.progress} %`;
        if (waiting) waiting.hidden = !state.waiting;
        // The page shows the finished plan (or the failure) as the server renders it.
        if (state.finished) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(() => {
        window.setTimeout(poll, 3000); // a dropped connection: keep asking, a little slower
      });
  };
  window.setTimeout(poll, 1000);
};

const popupText = (text) => {
  const element = document.createElement("span");
  element.textContent = text; // names come from people's records: never read as HTML
  return element;
};

const drawMap = (L, data, node) => {
  // Quarter zoom steps: a town's rounds fill the frame instead of the next whole zoom level down.
  const map = L.map(node, { scrollWheelZoom: false, zoomSnap: 0.25 });
  const note = document.getElementById("map-offline-note");
  const withoutTiles = () => {
    node.classList.add("no-tiles");
    if (note) note.hidden = false;
  };
  if (navigator.onLine && data.tiles) {
    const tiles = L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution });
    tiles.on("tileerror", withoutTiles);
    tiles.addTo(map);
  } else {
    withoutTiles();
  }

  const points = [];
  for (const depot of data.depots) {
    L.marker(depot.point, {
      icon: L.divIcon({ className: "map-depot", html: "", iconSize: [16, 16] }),
      title: depot.name,
    })
      .bindPopup(popupText(depot.name))
      .addTo(map);
    points.push(depot.point);
  }
  for (const round of data.rounds) {
    const line = [round.depot, ...round.stops.map((stop) => stop.point), round.depot];
    L.polyline(line, { color: round.colour, weight: 3, opacity: 0.85 }).addTo(map);
    for (const stop of round.stops) {
      const badge = document.createElement("span");
      badge.textContent = String(stop.sequence);
      badge.style.background = round.colour;
      L.marker(stop.point, {
        icon: L.divIcon({ className: "map-stop", html: badge, iconSize: [24, 24], iconAnchor: [12, 12] }),
        title: stop.label,
      })
        .bindPopup(popupText(stop.label))
        .addTo(map);
      points.push(stop.point);
    }
  }
  for (const order of data.left_out) {
    L.circleMarker(order.point, { radius: 7, color: "#b3261e", weight: 2, dashArray: "3 3", fillOpacity: 0.15 })
      .bindPopup(popupText(order.label))
      .addTo(map);
    points.push(order.point);
  }
  if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
  return map;
};

// The vans of the rounds under way, at the last position their drivers shared, asked for again every 45 s. A van
// whose phone went quiet for 10 minutes is drawn faded, with the time of its last fix. A failed fetch keeps the
// vans drawn last and tries again at the next turn.
const VANS_EVERY_MS = 45000;

const followVans = (L, map, url) => {
  const layer = L.layerGroup().addTo(map);
  let framed = false;
  const draw = (data) => {
    layer.clearLayers();
    // The first time, the frame takes in a van off the rounds' lines too; later turns leave the planner's view be.
    if (!framed && data.vans.length) {
      framed = true;
      const bounds = map.getBounds();
      for (const van of data.vans) bounds.extend(van.point);
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    for (const van of data.vans) {
      const label = document.createElement("span");
      label.textContent = `${van.name} · ${van.time}`;
      if (!van.stale) label.style.borderColor = van.colour;
      L.marker(van.point, {
        icon: L.divIcon({ className: van.stale ? "map-van stale" : "map-van", html: label, iconSize: null }),
        title: van.label,
        zIndexOffset: 1000, // above the stops it is driving between
        keyboard: true,
      })
        .bindPopup(popupText(van.label))
        .addTo(layer);
    }
  };
  const poll = () => {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(draw)
      .catch(() => undefined)
      .finally(() => window.setTimeout(poll, VANS_EVERY_MS));
  };
  poll();
};

// Forms that change what drivers or households see ask first.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

followProgress(document.getElementById("run-progress"));

// A stop not yet visited is dragged by its row onto another row (it takes that row's number, on that row's round)
// or onto another round's card (it goes last there). The drop posts the stop's own Move form, with the round and
// number filled in: the server moves it or says why not, as for the buttons, which stay for keyboards and for
// pages without JavaScript.
let dragged = null;

const dropTarget = (event) => {
  const row = event.target.closest && event.target.closest("[data-drop-round] tbody tr[data-sequence]");
  if (row) return { row, list: row.closest("[data-drop-round]") };
  const card = event.target.closest && event.target.closest(".round-card");
  const list = card && card.querySelector("[data-drop-round]");
  return list ? { row: null, list } : null;
};

const clearMarks = () => {
  for (const marked of document.querySelectorAll(".drop-here, .dragging")) {
    marked.classList.remove("drop-here", "dragging");
  }
};

document.addEventListener("dragstart", (event) => {
  const row = event.target.closest && event.target.closest("tr[data-move-url]");
  if (!row) return;
  dragged = row;
  row.classList.add("dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", row.dataset.moveUrl); // Firefox starts no drag without data
});

document.addEventListener("dragover", (event) => {
  if (!dragged) return;
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  for (const marked of document.querySelectorAll(".drop-here")) marked.classList.remove("drop-here");
  (target.row || target.list.closest(".round-card")).classList.add("drop-here");
});

document.addEventListener("dragend", () => {
  dragged = null;
  clearMarks();
});

document.addEventListener("drop", (event) => {
  if (!dragged) return;
  const target = dropTarget(event);
  const row = dragged;
  dragged = null;
  clearMarks();
  if (!target) return;
  event.preventDefault();
  const round = target.list.dataset.dropRound;
  const sameRound = row.closest("[data-drop-round]") === target.list;
  const count = target.list.querySelectorAll("tbody tr[data-sequence]").length;
  const position = target.row ? Number(target.row.dataset.sequence) : sameRound ? count : count + 1;
  if (target.row === row) return;
  // The row's own form carries the CSRF token and the depots shown, so the board comes back as it was.
  const source = row.closest("form");
  const form = document.createElement("form");
  form.method = "post";
  form.action = row.dataset.moveUrl;
  form.hidden = true;
  for (const kept of source.querySelectorAll("input[name=csrfmiddlewaretoken], input[name=depot]")) {
    form.append(kept.cloneNode());
  }
  for (const [name, value] of [["to_round", round], ["position", String(position)]]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
});

// A large day's round lists its stops when opened: the table comes from the server, as the board would render
// it; if it cannot be fetched, the link's own address (the board with that round open) is followed instead.
for (const link of document.querySelectorAll("a[data-open-url]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    fetch(link.dataset.openUrl, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        const stops = document.createElement("template");
        stops.innerHTML = html; // the server's own template, escaped there
        link.closest("[data-round-closed]").replaceWith(stops.content);
      })
      .catch(() => window.location.assign(link.href));
  });
}

// A small day's map data is in the page; a large day's is fetched, so the page carries no stop it does not list.
const mapNode = document.getElementById("board-map");
const dataNode = document.getElementById("board-map-data");
const withVans = (map) => {
  if (map && mapNode.dataset.vansUrl) followVans(window.L, map, mapNode.dataset.vansUrl);
};
if (mapNode && window.L && dataNode) {
  withVans(drawMap(window.L, JSON.parse(dataNode.textContent), mapNode));
} else if (mapNode && window.L && mapNode.dataset.url) {
  fetch(mapNode.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then((data) => withVans(drawMap(window.L, data, mapNode)))
    .catch(() => {
      const failed = document.getElementById("map-failed-note");
      if (failed) failed.hidden = false;
    });
}
