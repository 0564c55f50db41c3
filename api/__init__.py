"""The outer ring: the FastAPI service and the ``hazard-twin`` command line."""
