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
