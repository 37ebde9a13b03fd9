"""Reads for the pages. Each selector runs a fixed number of queries, whatever the number of shows;
data that the API already reads comes from its selectors (sources.selectors, sources.series.show_series)."""
