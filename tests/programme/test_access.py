"""The portal-wide regional reader rule that the measure, bottleneck and regional dashboard pages share."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from programme.access import require_regional_reader, scope_of


@pytest.mark.parametrize(("name", "reads"), [
    ("project_leader", True),
    ("helmond", True),
    ("veilig_thuis", True),  # an organisation of the larger region works in the regions inside it
    ("steering_group", True),
    ("other_region", True),
    ("admin", True),
    ("national", False),
    ("no_role", False),
])
def test_regional_reader_is_a_member_of_a_region_or_the_administrator(users, name, reads):
    user = users[name]
    assert scope_of(user).is_regional_reader is reads
    if reads:
        assert require_regional_reader(user) is scope_of(user)
    else:
        with pytest.raises(PermissionDenied):
            require_regional_reader(user)


def test_anonymous_is_no_regional_reader(db):
    with pytest.raises(PermissionDenied):
        require_regional_reader(AnonymousUser())
