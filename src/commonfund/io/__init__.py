"""Files and process: atomic writes, the parse cache, reading tables, spreadsheet-safe cells, freezing the heap."""
