"""What the app says that is not about a clinic: the register of cited sources, crisis lines, route facts.

Content imports nothing else of the app, so every other part (finder, questionnaire, pages) may cite it.
"""
