"""The curation loop's storage, misses log, curators' rule and report."""
