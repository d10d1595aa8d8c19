"""Views of a graph: text listings, records for JSON, the HTML page and the report."""
