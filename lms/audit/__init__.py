"""The audit log: who changed what on a learner's record or an account, when,
and what it was before and after. Every domain writes through `record`."""
