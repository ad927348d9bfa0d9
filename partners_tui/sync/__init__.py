"""Google Sheets sync (DESIGN 5): the team's shared spreadsheet, merged three ways. No Textual.

Modules, in the order data flows:
  settings   which spreadsheet and tab names (config.json "sheets"; never secrets)
  secrets    the credential, in keyring (or an opt-in 0600 file)
  retry      gspread's HTTP client with bounded retry + jitter, timeouts, plain errors
  gateway    the four Sheets calls (metadata, batch read, batch write, tab structure)
  tabs       columns of each tab; value ⇄ cell; canonical values for comparing
  push_plan  a push's rows from one snapshot, and the 10-million-cell count
  pull_plan  the sheet's values → what a pull creates, changes, archives, reports
  merge      the three-way field merge of one record
  state      bookkeeping tables: merge base, status, conflicts
  service    `SheetsSync` push / pull / sync / status / conflicts, and connect / disconnect
(`store.sync_apply` writes a pull plan as one store command.)

For a TUI, in a thread worker:

    from partners_tui.sync.service import SheetsSync
    sync = SheetsSync.from_config(app.store)          # raises NotConfigured
    worker = get_current_worker()
    result = sync.sync(progress=lambda p: app.call_from_thread(show, p),
                       cancelled=lambda: worker.is_cancelled)
    # result.summary(); errors are SyncError subclasses whose str() is one plain sentence
"""
