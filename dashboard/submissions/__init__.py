"""Reports, clinic submissions and their review, kept in a real database.

Stages, one module each (none imports Streamlit):

* ``db``        — which database (``CLINIC_FINDER_DATABASE_URL``), engines, schema migrations (Alembic).
* ``models``    — the tables. Nothing from the questionnaire has a place here, by design.
* ``forms``     — what a person typed → a validated report or clinic submission, or plain messages.
* ``limits``    — rate-limit policy and who the client is (the address behind our proxy).
* ``store``     — reading and writing submissions, rate-limit events, reviewer login state.
* ``review``    — accepting (with provenance) and rejecting; the listing row an accepted submission becomes.
* ``overlay``   — the served directory: curated data file + accepted changes, re-read at most every N seconds.
* ``auth``      — reviewer passwords (argon2) and the lockout after repeated failures.
"""
