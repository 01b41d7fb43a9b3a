"""The Streamlit UI: the only package that imports Streamlit's UI (pages, widgets, caches, the map component)."""
