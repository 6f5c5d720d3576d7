import pytest

from tests.report.warehouse import built_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    return built_warehouse(tmp_path_factory)
