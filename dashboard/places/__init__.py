"""Places: what a person types (a ZIP, "Phoenix AZ", "lat, lon", a street address) resolved to a ``Place``, and
distances between places.

``gazetteer`` (offline ZIP and city centroids, the strict forms), ``names`` (place names as people type
them), ``lookup`` (the one entry point, online only for street addresses), ``distance`` (haversine).
"""
