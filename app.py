"""Harnessing Connections: the frame. Page config, shared sidebar, navigation."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Harnessing Connections", page_icon="🤝", layout="wide")

pages = {
    "": [st.Page("pages/overview.py", title="Overview", icon="🏠", default=True)],
    "The four pillars": [
        st.Page("pages/involvement.py", title="Involvement", icon="📞"),
        st.Page("pages/co_creation.py", title="Co-creation", icon="📸"),
        st.Page("pages/connections.py", title="Connections of connections", icon="🔗"),
        st.Page("pages/community.py", title="Wider community", icon="🏘️"),
    ],
    "Evidence": [
        st.Page("pages/vanity_vs_real.py", title="Vanity vs real", icon="⚖️"),
        st.Page("pages/pyramid.py", title="Engagement pyramid", icon="🔺"),
    ],
    "Set up": [
        st.Page("pages/data.py", title="Data", icon="📂"),
        st.Page("pages/settings.py", title="Settings", icon="⚙️"),
    ],
}
page = st.navigation(pages)
ui.sidebar()
page.run()
