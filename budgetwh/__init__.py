"""Build and publish the budget warehouse."""
