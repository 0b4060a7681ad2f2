"""People: the person page and who may see and rate whom."""
