import pytest


@pytest.fixture
def public(settings):
    settings.KP_PUBLIC_READ = True


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client
