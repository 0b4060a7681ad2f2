"""Read-only pages for managers and admins: the team dashboard (skill matrix,
readiness, overdue work, result trends, feedback), the team's results and the
coverage question "who can do skill X at level L or above". Top layer: reads
every lower domain, writes nothing.
"""
