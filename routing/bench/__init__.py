"""Benchmark the routing solver on public VRP instances. Imports no Django, like routing.solver."""
