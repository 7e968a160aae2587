"""Setup shared by a service test file and its page test file, one module per pair."""
