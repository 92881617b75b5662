"""The modules the window's pages need (tabs, lists, detail pages, search results), in one import.

The start-up loader imports this in its thread after reading the knowledge base: the GUI thread is
idle then, and importing these (and making their Qt enums) on it would delay the first paint of the
pages by about 60 ms. Importing only: nothing here makes a widget.
"""

from __future__ import annotations

import ldn_browser.core.detail
import ldn_browser.core.start_page
import ldn_browser.ui.page_tabs
import ldn_browser.ui.search_panel
import ldn_browser.ui.search_popup  # noqa: F401
