"""The role-aware landing page."""
