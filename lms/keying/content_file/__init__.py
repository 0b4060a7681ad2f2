"""Readers of keying test files (quizzes/<slug>.toml with a keying kind), one module
per kind, each giving its accepted keys (`<KIND>_KEYS`) and its reader
`read_<kind>(top, doc, data_files) -> (settings, content)`, which the kind's class
in lms.keying.kinds points at; common.py holds what every keying file shares
(correction policy, bands, draw size, data files).
"""
