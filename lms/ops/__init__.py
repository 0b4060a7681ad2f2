"""Running the service: backups of the database and restores from them."""
