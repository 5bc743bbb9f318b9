"""Start the app as `streamlit run app.py [options]` does, without Streamlit's legacy pages/ shim.

    .venv/bin/python scripts/serve.py [--server.port 8501 …]   (any `streamlit run` option)

Streamlit decides once per process, at the first session, whether a folder called pages/ means its old multipage
API; that first session then runs through a shim whose page list knows pages/map.py as "map", not as app.py's
"karta", so a deep link opened as a restarted server's first session showed "Page not found" over the login form.
app.py declares its pages with st.navigation, so this says so before any session starts.
"""
from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
