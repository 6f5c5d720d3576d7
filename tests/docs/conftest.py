import pytest


@pytest.fixture(scope="session")
def warehouse(real_warehouse):
    """The session's warehouse of the real documents (tests/warehouses.py), only read."""
    return real_warehouse.checked()
