"""The questionnaire page's Streamlit parts: widgets bound to the answers, the page's flow, the clinic for
the visit, and the copy of the answers kept in the browser tab. The questions, scores and summary are plain
Python in ``dashboard.intake``."""
