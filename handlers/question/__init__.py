"""The question pipeline: find the entities named, read the intent, answer by composing commands."""
