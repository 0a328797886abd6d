"""The Streamlit glue the pages share. Pages ``import ui`` and call ``ui.dataset()``, ``ui.scorecard()`` …

Each name has one home below; this package only gathers them:

- ``ui.frame``      leaving Streamlit's legacy multipage mode (the only module touching Streamlit internals)
- ``ui.workspace``  this session's saved workspace: files, settings, presets, the database, secrets
- ``ui.loaders``    ingest and cached harness calls, keyed on content hashes
- ``ui.signin``     who may edit, the sign-in page, review-link addresses
- ``ui.period``     the period and platforms chosen in the sidebar, and the scorecard for them
- ``ui.sidebar``    the shared sidebar
- ``ui.widgets``    score cards, the pillar-page header, empty states, ideas, tables that stack on a phone
- ``ui.first_run``  the Data page's first-run checklist and the proposed-mapping card
"""

from ui.first_run import first_run_checklist, mapping_card
from ui.frame import leave_legacy_multipage_mode
from ui.loaders import cached, cached_resource, current_reports, dataset, ingest_upload, review_charts, upload_limits
from ui.period import period, platforms, scorecard
from ui.sidebar import sidebar
from ui.signin import editor_allowed, editor_email, review_link, sign_in_page
from ui.widgets import (
    PILLAR_PAGES, counts_chart, empty_state, explain, ideas, loaded_dataset, pillar_header, pillar_metric,
    table,
)
from ui.workspace import (
    add_file, add_pending, create_workspace, delete_workspace, is_empty, is_sample, loaded_files, pending_files,
    remove_file, rename_workspace, replace_file, save_preset, save_settings, set_mapping, settings, store,
    use_sample, workspace,
)

# The first run in a fresh process may be a page file run without app.py (see ui.frame): send it through app.py.
leave_legacy_multipage_mode()
