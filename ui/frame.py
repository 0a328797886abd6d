"""The one place that touches Streamlit internals: leaving the legacy ("v1") multipage mode.

Why it is needed (Streamlit 1.67, ``streamlit/runtime/pages_manager.py``): the first ``PagesManager`` a
process builds sets the class-wide flag ``uses_pages_directory`` to whether a ``pages/`` folder sits beside
the entrypoint, and no option turns that off (``client.showSidebarNavigation`` only hides the menu). While the
flag is True, ``script_runner`` runs ``_mpa_v1`` instead of ``app.py``, which runs a requested page file
directly: no page config, no sign-in gate, no sidebar. Calling ``st.navigation`` clears the flag for the whole
process (``commands/navigation.py``), so once ``app.py`` has run once everything goes through the frame. Until
then, the first visitor after a restart who opens a link to a page (a shared review) lands in the bare page.

The supported way out is to keep no ``pages/`` folder beside the entrypoint; this project keeps ``pages/``
(the design card's home of the views), so the flag is cleared here, once, and the run restarted through
``app.py``, which routes to the same page.
"""

from __future__ import annotations

import streamlit as st


def leave_legacy_multipage_mode() -> None:
    """Make a deep link work on a fresh server (see the module docstring)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def hold_apptest_framed():
    """For tests and benchmarks: make every ``AppTest`` run go through ``app.py``, as every run on a server does.

    ``AppTest`` sets the flag back to None before each run, so with ``pages/`` present every run after the
    first would execute the current page file alone. Its ``PagesManager`` is swapped for one that clears the
    flag as a server's first ``st.navigation`` does. (Clearing it from the page instead, per run, would throw
    away the widget interaction being tested along with the restarted run.) Returns the function that undoes it.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class FramedPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    original = app_test.PagesManager
    app_test.PagesManager = FramedPagesManager

    def undo() -> None:
        app_test.PagesManager = original
        PagesManager.uses_pages_directory = False

    return undo
