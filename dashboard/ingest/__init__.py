"""Keep the directory current: adapters that refresh the dataset from public sources.

Stages, one module each: ``http`` (read a URL or a saved file, with paging), source adapters
(``findtreatment``, ``clinicaltrials``, ``csv_source``, ``hsds``; registry in ``registry``),
``placing`` (street geocoder with cache, offline centroids), ``merge`` (match, merge, conflicts,
provenance) and ``refresh`` (orchestration and summary). The app never calls any of this at request
time; the ``refresh`` and ``export-hsds`` commands do. See docs/refresh.md.
"""
