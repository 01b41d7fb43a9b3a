"""Entry point of one app process: ``python -m dashboard.replica run streamlit_app.py [flags]``.

The command ``dashboard serve`` starts and deployments run (one replica per container is fine); the
warm-up and heap freeze it adds to ``streamlit run`` live in ``dashboard.serving.replica``.
"""

import sys

from dashboard.serving.replica import main

if __name__ == "__main__":
    sys.exit(main())
