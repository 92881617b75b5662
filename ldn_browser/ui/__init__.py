"""Qt user interface for LDN Browser (all PySide6 code lives here)."""
