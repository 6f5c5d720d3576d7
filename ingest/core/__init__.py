"""Template-independent ingest machinery: reading documents, placing cells, loading."""
