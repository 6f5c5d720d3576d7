"""Budget-document ingest: parse disclosed budget documents into the DuckDB `raw` schema."""
