import pytest


@pytest.mark.django_db
def test_home_redirects_to_current_edition(client, edition):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/e/{edition.slug}/"
