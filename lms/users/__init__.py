"""People, roles and teams."""
