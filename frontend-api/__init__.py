"""bpsa.api: the chain indexer and the FastAPI query service with its web page.

Not built yet: the query API issue fills this package (see frontend-api/README.md).
"""
