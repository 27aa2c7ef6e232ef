"""Test set-up shared by every test: Qt renders offscreen, never on a real display."""

import os

# Without a display and with QT_QPA_PLATFORM unset, Qt aborts the whole process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
