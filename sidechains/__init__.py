"""bpsa.sidechains: the channel hub (pure engine, write-ahead log, HTTP and WebSocket
service, chain watcher) and its client and pay gate, and the cross-chain swap
coordinator (see sidechains/README.md).
"""
