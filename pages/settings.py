"""Settings: organisation type, targets and weights (with their sources), follower counts."""

import json

import pandas as pd
import streamlit as st

from harness import format as fmt
from harness import targets, views
from harness.safety import md_escape
import ui

st.title("Settings")
st.caption("Targets decide what '100' means for each component; weights decide how much each component counts "
           "within its pillar. Defaults depend on the type of organisation.")

ws = ui.workspace()
current = ui.settings()

org = st.radio("Type of organisation", list(targets.ORG_TYPES), format_func=targets.ORG_TYPES.get,
               index=list(targets.ORG_TYPES).index(current.org_type), horizontal=True, key="settings_org_type",
               help="Sets the default targets. Targets you have changed yourself are kept.")
if org != current.org_type and ui.save_settings({**ws["settings"], "org_type": org}):
    st.rerun()

st.info("Full marks (100) sit about twice what a typical organisation reaches, so a typical organisation scores "
        "about 50 and 100 means beyond what the named benchmarks call good. Where the defaults differ by type of "
        "organisation, 'Default by organisation type' shows each. Shares are typed and shown as percentages: "
        "50 in 'Full marks at' with the unit '% of involved people' means 50%.", icon=":material/flag:")
table = pd.DataFrame(views.settings_rows(current))  # shares in percent; settings_with_edits reads them back
for pillar_key, pillar_label in targets.PILLARS.items():
    st.subheader(pillar_label)
    rows = table[table["pillar"] == pillar_key].reset_index(drop=True)
    edited = st.data_editor(
        rows, key=f"settings_table_{pillar_key}", hide_index=True, width="stretch",
        # The unit straight after the number it qualifies: "Full marks at 50 | % of involved people".
        column_order=["label", "target", "unit", "default_target", "by_org_type", "target_basis", "weight",
                      "default_weight", "target_source"],
        disabled=["label", "unit", "default_target", "by_org_type", "target_basis", "default_weight",
                  "target_source"],
        column_config={
            "label": st.column_config.TextColumn("Component", width="medium"),
            "target": st.column_config.NumberColumn(
                "Full marks at", min_value=0.0001,
                help="Scores 100 when reached; half of it scores 50. In the unit beside it: for a share, a "
                     "percentage (type 50 for 50%)."),
            "unit": st.column_config.TextColumn("Unit", width="medium"),
            "default_target": "Default",
            "by_org_type": st.column_config.TextColumn("Default by organisation type", width="medium"),
            "target_basis": "Target applies to",
            "weight": st.column_config.NumberColumn("Weight", min_value=0.0, help="0 leaves it out."),
            "default_weight": "Default weight",
            "target_source": st.column_config.TextColumn("Where the default comes from", width="large"),
        },
    )
    new = views.settings_with_edits(ws["settings"], edited.to_dict("records"))
    if new != ws["settings"]:
        try:
            targets.settings_from_dict(new)
        except targets.SettingsError as exc:
            st.error(f"Not saved: {exc}")
        else:
            if ui.save_settings(new):
                st.rerun()

with st.expander("Published figures the targets are set beyond"):
    for name, (figures, address) in targets.PUBLISHED.items():
        st.markdown(f"**{name}**: {figures}.  \n{address}")

st.subheader("Follower counts typed in")
st.caption("Used only for platforms where no export gives a running total of followers (Meta's Follows file, for "
           "one, lists new follows per day). Each count is saved with the day it was counted; other days are worked "
           "out from the daily follows. Most 'per 1,000 followers' measures need them.")
from ui import evidence  # noqa: E402

evidence.follower_counts_form("settings")

st.divider()
left, right = st.columns(2)
with left:
    if st.button("Reset everything to the defaults", key="settings_reset"):
        ui.save_settings(targets.settings_to_dict(targets.default_settings(current.org_type)))
        for pillar_key in targets.PILLARS:
            st.session_state.pop(f"settings_table_{pillar_key}", None)
        st.rerun()
with right:
    st.download_button("Download these settings (JSON)", json.dumps(ws["settings"], indent=2).encode(),
                       file_name="harnessing-connections-settings.json", mime="application/json",
                       key="settings_download",
                       help="Use with `python -m harness score --settings FILE` or load them into another workspace.")
uploaded = st.file_uploader("Load settings from a JSON file", type=["json"], key="settings_upload")
if uploaded is not None:
    try:
        loaded = targets.settings_to_dict(targets.settings_from_dict(json.loads(uploaded.getvalue())))
    except (ValueError, UnicodeDecodeError) as exc:
        st.error(f"'{md_escape(uploaded.name)}' was not loaded: {md_escape(exc)}")
    else:
        if loaded != ws["settings"] and ui.save_settings(loaded):
            st.success(f"Settings loaded from '{md_escape(uploaded.name)}'.")
