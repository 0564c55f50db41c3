"""Validation cases: each model against a published number, an analytic solution or measured data.

Cases register themselves in :data:`scenarios.validation.registry.CASES` when their module is
imported; :func:`scenarios.validation.registry.all_cases` imports every case module and returns
them in a stable order. ``hazard-twin validate`` prints them; the tests run every one.
"""
