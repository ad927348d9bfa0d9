"""partners-tui: a keyboard-driven terminal CRM for teams that fund events through partners."""

__version__ = "0.1.0"
