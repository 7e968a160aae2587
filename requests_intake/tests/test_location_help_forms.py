"""Both household forms say where latitude and longitude come from instead of leaving two bare map terms."""

from requests_intake.forms import HouseholdForm
from requests_intake.forms_households import HouseholdEditForm


def test_the_intake_form_explains_the_two_map_numbers():
    form = HouseholdForm()

    assert "map app" in str(form.fields["latitude"].help_text)
    assert "map app" in str(form.fields["longitude"].help_text)


def test_the_record_form_explains_them_the_same_way_and_keeps_its_members_help():
    form = HouseholdEditForm(may_see_vulnerability=False)

    assert form.fields["latitude"].help_text == HouseholdForm().fields["latitude"].help_text
    assert "holder included" in str(form.fields["members"].help_text)
