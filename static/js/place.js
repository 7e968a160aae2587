/* Placing a household on the map: a click (or dragging the pin) writes the point into the form's one field, and
   typing a point there moves the pin. Runs after Leaflet's deferred script; without it the form works alone. */

const data = JSON.parse(document.getElementById("place-map-data").textContent);
const node = document.getElementById("place-map");
const field = document.getElementById("id_point");

const parse = (text) => {
  const match = /^\s*(-?\d{1,3}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$/.exec(text || "");
  return match ? [Number(match[1].replace(",", ".")), Number(match[2].replace(",", "."))] : null;
};

if (window.L && node && field) {
  const L = window.L;
  const map = L.map(node, { zoomSnap: 0.25 });
  if (navigator.onLine && data.tiles) {
    const tiles = L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution });
    tiles.on("tileerror", () => {
      document.getElementById("map-offline-note").hidden = false;
    });
    tiles.addTo(map);
  } else {
    document.getElementById("map-offline-note").hidden = false;
  }
  for (const depot of data.depots) {
    L.marker(depot.point, { icon: L.divIcon({ className: "map-depot", html: "", iconSize: [16, 16] }), title: depot.name }).addTo(map);
  }
  const start = data.pin || (data.depots[0] && data.depots[0].point) || [40.4168, -3.7038];
  map.setView(start, data.pin ? 17 : 14);
  let pin = data.pin ? L.marker(data.pin, { draggable: true }).addTo(map) : null;
  const write = (latlng) => {
    field.value = `${latlng.lat.toFixed(6)}, ${latlng.lng.toFixed(6)}`;
  };
  const place = (latlng) => {
    if (pin) pin.setLatLng(latlng);
    else {
      pin = L.marker(latlng, { draggable: true }).addTo(map);
      pin.on("dragend", () => write(pin.getLatLng()));
    }
    write(latlng);
  };
  if (pin) pin.on("dragend", () => write(pin.getLatLng()));
  map.on("click", (event) => place(event.latlng));
  field.addEventListener("change", () => {
    const point = parse(field.value);
    if (point) {
      place(L.latLng(point[0], point[1]));
      map.setView(point, 17);
    }
  });
}
