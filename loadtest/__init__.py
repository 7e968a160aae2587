"""The city load test: `python -m loadtest` (see __main__.py); `loadtest.queries` finds the slow queries."""
