"""Fakes of outside services, served on loopback for end-to-end tests."""
