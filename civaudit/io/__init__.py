"""Loading: read cells, find the header, map columns, split rows, build tables; export
pairs and the cache of loaded tables."""
