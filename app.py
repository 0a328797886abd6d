"""Harnessing Connections: the frame. Page config, who may see what, shared sidebar, navigation."""

import streamlit as st

import ui
from harness import targets

PILLAR_ICONS = {"involvement": ":material/call:", "co_creation": ":material/photo_camera:",
                "connections": ":material/hub:", "community": ":material/volunteer_activism:"}

st.set_page_config(page_title="Harnessing Connections", page_icon="🤝", layout="wide")

pages = {
    "": [st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True)],
    "The four pillars": [st.Page(ui.PILLAR_PAGES[key], title=label, icon=PILLAR_ICONS[key])
                         for key, label in targets.PILLARS.items()],
    "Evidence": [
        st.Page("pages/vanity_vs_real.py", title="Vanity vs real", icon=":material/balance:"),
        st.Page("pages/pyramid.py", title="Engagement pyramid", icon=":material/change_history:"),
    ],
    "Set up and share": [
        st.Page("pages/data.py", title="Data", icon=":material/folder_open:"),
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
        st.Page("pages/share.py", title="Share and download", icon=":material/share:"),
    ],
}

if "review" in st.query_params:
    # A leadership review link: the frozen review only, no workspace, no sign-in.
    st.navigation([st.Page("pages/review.py", title="Review", icon=":material/visibility:")],
                  position="hidden").run()
elif not ui.editor_allowed():
    st.navigation([st.Page(ui.sign_in_page, title="Sign in", icon=":material/login:")], position="hidden").run()
else:
    page = st.navigation(pages)
    ui.sidebar()
    page.run()
