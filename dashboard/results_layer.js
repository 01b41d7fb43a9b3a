// Draws the result markers, popups, legend and search circle in the browser (see dashboard/mapview.py).
// `cfg` is the JSON payload built in Python; dataset text only ever goes through textContent.
(function () {
  var map = __MAP__;
  var cfg = __PAYLOAD__;
  var styles = cfg.styles, rows = cfg.rows;
  // Leaflet (and streamlit-folium, which reads tooltips back) treat a tooltip string as HTML: escape it.
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) { e.textContent = text; } if (cls) { e.className = cls; } return e; }
  function popup(r) {
    var box = el('div', '', 'kcf-popup');
    box.appendChild(el('strong', r[4]));
    if (r[5]) { box.appendChild(el('div', r[5])); }
    if (r[8]) { box.appendChild(el('div', r[8] + ' (straight line)')); }
    if (r[10]) { box.appendChild(el('div', r[10], 'kcf-unstated')); }
    box.appendChild(el('div', r[3] ? 'Street address listed' : 'Approximate location'));
    if (r[6]) { var p = el('a', r[6]); p.href = 'tel:' + r[6].replace(/[^0-9+]/g, ''); box.appendChild(el('div')).appendChild(p); }
    if (r[7] && /^https?:\/\//i.test(r[7])) { var a = el('a', 'Website'); a.href = r[7]; a.target = '_blank'; a.rel = 'noopener noreferrer'; box.appendChild(el('div')).appendChild(a); }
    return box;
  }
  // A VA facility is a square (an HTML marker named by its title), so it differs by shape, not colour alone.
  function squareMarker(r, s, selected) {
    var size = selected ? 22 : 16;
    var icon = L.divIcon({className: 'kcf-va-marker', iconSize: [size, size], html: '<span style="display:block;width:100%;height:100%;box-sizing:border-box;background:' + s.color + ';border:' + (selected ? '4px solid #000' : '2px solid #fff') + ';box-shadow:0 0 0 1px ' + s.color + '"></span>'});
    return L.marker([r[0], r[1]], {icon: icon, title: r[4], alt: r[4], keyboard: false});
  }
  var layer = rows.length > cfg.cluster ? L.markerClusterGroup({chunkedLoading: true}) : L.featureGroup();
  var markers = [];
  rows.forEach(function (r) {
    var s = styles[r[2]], selected = r[9] === cfg.selected;
    var m = s.shape === 'square' ? squareMarker(r, s, selected) : L.circleMarker([r[0], r[1]], {
      radius: selected ? 12 : 8, color: selected ? '#000' : s.color, weight: selected ? 4 : 2,
      fillColor: s.color, fillOpacity: r[3] ? 0.9 : 0.35, dashArray: r[3] ? null : '4 3'
    });
    m.bindTooltip(esc(r[4]));
    m.bindPopup(function () { return popup(r); });
    markers.push(m);
    layer.addLayer(m);
  });
  layer.addTo(map);
  if (cfg.place) {
    if (cfg.radius_m) {
      L.circle([cfg.place.lat, cfg.place.lon], {radius: cfg.radius_m, color: '#444', weight: 1, fill: false, dashArray: '6 4', interactive: false}).addTo(map);
    }
    L.circleMarker([cfg.place.lat, cfg.place.lon], {radius: 6, color: '#000', weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false}).addTo(map);
  }
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    // A fold: open on a wide map, folded to one small "Legend" button on a narrow (phone) map, where the open
    // legend covered a fifth of it.
    var box = el('details', '', 'kcf-legend');
    box.open = map.getSize().x >= 500;
    box.style.cssText = 'background:#fff;padding:6px 8px;font:12px sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)';
    var fold = el('summary', 'Legend');
    fold.style.cssText = 'cursor:pointer;font-weight:600;min-height:24px;line-height:24px';
    box.appendChild(fold);
    L.DomEvent.disableClickPropagation(box);
    cfg.legend.forEach(function (s) {
      var line = el('div'); var dot = el('span');
      dot.style.cssText = 'display:inline-block;width:10px;height:10px;border-radius:' + (s.shape === 'square' ? '0' : '50%') + ';margin-right:5px;background:' + s.color;
      line.appendChild(dot); line.appendChild(document.createTextNode(s.label)); box.appendChild(line);
    });
    box.appendChild(el('div', 'Solid: street address. Faded, dashed: approximate (ZIP or city centre).'));
    return box;
  };
  legend.addTo(map);
  // The map follows the list: the view fits every row the list shows (the nearest matches beyond the
  // radius included) together with the searched place; a selected row is zoomed to instead.
  // The map opens at that view, not zooming to it from folium's starting view: an animated zoom moves
  // every marker for a quarter of a second after they appear, and a click in that time lands on
  // whichever marker has slid under the pointer (another clinic's card gets selected).
  if (cfg.selected !== null && markers[cfg.selected]) {
    var sel = markers[cfg.selected];
    if (layer.zoomToShowLayer) { layer.zoomToShowLayer(sel, function () { sel.openPopup(); }); }
    else { map.setView(sel.getLatLng(), Math.max(map.getZoom(), 10), {animate: false}); sel.openPopup(); }
  } else if (cfg.bounds) {
    // keep the fitted markers clear of the legend in the bottom-right corner
    var below = legend.getContainer().offsetHeight + 24;
    map.fitBounds(cfg.bounds, {paddingTopLeft: [24, 24], paddingBottomRight: [24, below], maxZoom: 12, animate: false});
  }
  window.kcfMap = map;  // for the browser tests: the view the person sees
  // The page around the map: name the frame for screen readers, and bring into view what was just chosen
  // ("Show on map" → the map; a marker click → its card; closing the filters on a phone → the results).
  // The frame is same-origin (a Streamlit component).
  var host = null;
  try { host = window.frameElement; } catch (e) { host = null; }
  if (!host) { return; }
  host.title = cfg.title;
  map.getContainer().setAttribute('aria-label', cfg.title);
  var focus = cfg.focus, top = window.parent;
  if (!focus || top.__kcfFocusDone === focus.seq) { return; }
  top.__kcfFocusDone = focus.seq;
  // The keyboard focus moves with the view, so a keyboard or screen-reader user is where the eye is sent.
  if (focus.target === 'map') {
    host.scrollIntoView({block: 'center'});
    map.getContainer().focus({preventScroll: true});
    return;
  }
  var tries = 0;
  (function find() {  // the element may still be drawing after the rerun that redrew this map
    var target = top.document.querySelector(focus.selector);
    if (target) {
      target.scrollIntoView({block: focus.target === 'results' ? 'start' : 'center'});
      if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
      target.focus({preventScroll: true});
      return;
    }
    if (++tries < 50) { setTimeout(find, 100); }
  })();
})();
