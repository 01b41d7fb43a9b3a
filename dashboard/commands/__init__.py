"""One module per sub-command of ``python -m dashboard`` (see ``dashboard.cli``)."""
