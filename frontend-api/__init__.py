"""The chain indexer and the query API (see README.md)."""
