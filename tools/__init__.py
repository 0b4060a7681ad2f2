"""Build tools for the repository (content generators); not part of the application."""
