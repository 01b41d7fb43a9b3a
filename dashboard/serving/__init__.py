"""Running the app for many people: replicas behind nginx, one warm app process, a tab over Streamlit's protocol.

``readiness`` (health checks, the warm-up's outcome lines) is what ``supervisor`` and ``replica`` share, so
neither imports the other. This package may use Streamlit's runtime, command line and protobufs to start
and probe servers; it never draws a page (only ``dashboard.web`` does).
"""
