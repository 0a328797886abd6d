"""Harnessing Connections: the frame. Page config, shared sidebar, navigation."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Harnessing Connections", page_icon="🤝", layout="wide")

pages = {
    "": [st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True)],
    "The four pillars": [
        st.Page("pages/involvement.py", title="Involvement", icon=":material/call:"),
        st.Page("pages/co_creation.py", title="Co-creation", icon=":material/photo_camera:"),
        st.Page("pages/connections.py", title="Connections of connections", icon=":material/hub:"),
        st.Page("pages/community.py", title="Wider community", icon=":material/volunteer_activism:"),
    ],
    "Evidence": [
        st.Page("pages/vanity_vs_real.py", title="Vanity vs real", icon=":material/balance:"),
        st.Page("pages/pyramid.py", title="Engagement pyramid", icon=":material/change_history:"),
    ],
    "Set up": [
        st.Page("pages/data.py", title="Data", icon=":material/folder_open:"),
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
    ],
}
page = st.navigation(pages)
ui.sidebar()
page.run()
