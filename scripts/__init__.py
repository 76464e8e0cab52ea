"""Developer tooling, run as `python -m scripts.<name>`."""
