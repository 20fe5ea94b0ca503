"""One file per schema revision, oldest first: 0001_baseline.py, then each change after it."""
