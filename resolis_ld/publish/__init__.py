"""Publishing a build: one module per target (CKAN, udata, a SPARQL Graph Store) and what they share.

The only part of resolis-ld that imports requests. Nothing here prints: a run returns a Summary,
a dry run a list of PlannedRequest, and a failure raises a ResolisError.
"""
