"""The subscribable calendar: secret per-channel feed tokens and the `GET /calendar/{token}.ics` route."""
