"""Find a clinic: a search's criteria, its filters, the ranked results and everything shown from them.

``criteria`` (the value objects), ``filters`` (each filter declared once: mask, facet counts, words),
``columns`` (the table as numpy arrays), ``search`` (the one entry point), ``wording`` (the sentences),
``share`` (a search as a link), ``form`` (a search as the page's widget values), and the outputs:
``cards`` (what one result shows), ``downloads`` (CSV) and ``html`` (the printable list).
"""
