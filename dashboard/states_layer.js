// U.S. state outlines (or a choropleth of listings per state) under the markers: see dashboard/mapview.py.
// The boundaries (us-atlas TopoJSON, U.S. Census Bureau) are fetched from the app's own static files, so
// every map reuses the browser's cached copy and no third party is contacted; the map reads even when
// no tile server is reachable. Dataset text never reaches this layer: only counts and the state names
// that ship with the boundaries, set through textContent.
(function () {
  var map = __MAP__;
  var cfg = __PAYLOAD__;
  if (!window.topojson || !window.fetch) { return; }
  var pane = map.createPane('kcfStates');
  pane.style.zIndex = 250;  // above tiles (200), below markers and circles (400)
  pane.style.pointerEvents = cfg.counts ? 'auto' : 'none';
  if (!cfg.tiles) { map.getContainer().style.background = cfg.water; }
  if (map.attributionControl) { map.attributionControl.addAttribution(cfg.attribution); }
  if (cfg.title) {
    try { if (window.frameElement) { window.frameElement.title = cfg.title; } } catch (e) { /* not same-origin */ }
    map.getContainer().setAttribute('aria-label', cfg.title);
  }
  if (cfg.legend && cfg.legend.length) {
    var legend = L.control({position: 'bottomright'});
    legend.onAdd = function () {
      var box = document.createElement('div');
      box.className = 'kcf-legend';
      box.style.cssText = 'background:#fff;padding:6px 8px;font:12px sans-serif;color:#222;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)';
      var head = document.createElement('div'); head.textContent = cfg.legend_title; head.style.fontWeight = '600'; box.appendChild(head);
      cfg.legend.forEach(function (item) {
        var line = document.createElement('div'), dot = document.createElement('span');
        dot.style.cssText = 'display:inline-block;width:12px;height:12px;margin-right:5px;border:1px solid #555;vertical-align:-2px;background:' + item.colour;
        line.appendChild(dot); line.appendChild(document.createTextNode(item.label)); box.appendChild(line);
      });
      return box;
    };
    legend.addTo(map);
  }
  function colour(n) {
    for (var i = cfg.bins.length - 1; i >= 0; i--) { if (n >= cfg.bins[i]) { return cfg.colours[i]; } }
    return cfg.colours[0];
  }
  fetch(cfg.url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (topo) {
    var states = topojson.feature(topo, topo.objects.states);
    var layer = L.geoJSON(states, {
      pane: 'kcfStates',
      interactive: !!cfg.counts,
      style: function (f) {
        if (cfg.counts) {
          var n = cfg.counts[f.id] || 0;
          return {color: '#555', weight: 1, fillColor: colour(n), fillOpacity: 1, className: 'kcf-state'};
        }
        return {color: cfg.tiles ? '#4d4d4d' : '#6e6e6e', weight: cfg.tiles ? 1.2 : 1, fill: !cfg.tiles,
                fillColor: cfg.land, fillOpacity: 1, className: 'kcf-state'};
      },
      onEachFeature: function (f, l) {
        if (!cfg.counts) { return; }
        var n = cfg.counts[f.id] || 0;
        var box = document.createElement('span');
        box.textContent = (f.properties && f.properties.name ? f.properties.name : '') + ': ' + n + ' listing' + (n === 1 ? '' : 's');
        l.bindTooltip(box, {sticky: true});
      }
    }).addTo(map);
    map.getContainer().setAttribute('data-states', String(states.features.length));
    if (cfg.fit) { map.fitBounds(cfg.fit, {padding: [6, 6]}); }
    return layer;
  }).catch(function () { map.getContainer().setAttribute('data-states', 'failed'); });
})();
