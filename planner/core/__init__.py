"""The pure-Python model of a partnership's network plan: no Qt here."""
