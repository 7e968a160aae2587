"""Sex and nationality group, both optional: a member is saved with them and refused with a value outside the
choices; an import reads them as offices write them and refuses what it cannot read."""

import pytest
from django.core.exceptions import ValidationError

from requests_intake.erasure import household_erase
from requests_intake.households import MembersChange, members_save
from requests_intake.imports import HouseholdImportRefused, households_import
from requests_intake.models import Household, HouseholdMember
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

HEADER = "Nombre;Apellidos;Tipo documento;Documento;Dirección;Código postal;Municipio;Sexo;Nacionalidad"


def _file(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows, ""]).encode("utf-8")


def _member(**fields) -> dict:
    return {"given_name": "Lucía", "family_name": "Ros", "birth_date": None, "relationship": "child"} | fields


def test_a_member_is_saved_with_the_sex_and_nationality_group_given(role_users):
    household = HouseholdFactory(members=1)

    members_save(
        actor=role_users["intake_operator"],
        household=household,
        change=MembersChange(added=[_member(sex="female", nationality="latin_america")]),
    )

    member = HouseholdMember.objects.get(household=household)
    assert (member.sex, member.nationality) == ("female", "latin_america")


def test_a_member_without_sex_or_nationality_is_saved_as_not_recorded(role_users):
    household = HouseholdFactory(members=1)

    members_save(actor=role_users["intake_operator"], household=household, change=MembersChange(added=[_member()]))

    assert HouseholdMember.objects.values_list("sex", "nationality").get(household=household) == ("", "")


@pytest.mark.parametrize(
    ("fields", "code"),
    [({"sex": "f"}, "member_bad_sex"), ({"nationality": "moroccan"}, "member_bad_nationality")],
)
def test_a_member_with_a_value_outside_the_choices_is_refused_and_nothing_saved(role_users, fields, code):
    household = HouseholdFactory(members=1)

    with pytest.raises(ValidationError) as excinfo:
        members_save(
            actor=role_users["intake_operator"], household=household, change=MembersChange(added=[_member(**fields)])
        )

    assert [error.code for error in excinfo.value.error_list] == [code]
    assert not HouseholdMember.objects.filter(household=household).exists()
    assert Household.objects.get(pk=household.pk).members == 1


def test_the_import_reads_sex_and_nationality_as_offices_write_them(zones):
    households_import(
        actor=None,
        content=_file(
            "Carmen;Sánchez Gómez;DNI;00000000T;C/ Duque 21;30202;Cartagena;Mujer;Española",
            "Ahmed;El Amrani;NIE;Y1234567X;Avda. América 8;30204;Cartagena;H;Marruecos",
            "Oksana;Popescu;Ninguno;;C/ Mayor 3;30201;Cartagena;;ucraniana",
            "Iván;Ríos;Ninguno;;C/ Mayor 5;30201;Cartagena;Otro;",
        ),
        file_name="households.csv",
    )

    assert dict(Household.objects.values_list("given_name", "sex")) == {
        "Carmen": "female",
        "Ahmed": "male",
        "Oksana": "",
        "Iván": "other",
    }
    assert dict(Household.objects.values_list("given_name", "nationality")) == {
        "Carmen": "spanish",
        "Ahmed": "africa",
        "Oksana": "europe",
        "Iván": "",
    }


def test_the_import_refuses_a_sex_or_nationality_it_cannot_read_and_saves_nothing(zones):
    content = _file(
        "Carmen;Sánchez Gómez;DNI;00000000T;C/ Duque 21;30202;Cartagena;M;Española",
        "Ahmed;El Amrani;NIE;Y1234567X;Avda. América 8;30204;Cartagena;Hombre;Atlántida",
    )

    with pytest.raises(HouseholdImportRefused) as refused:
        households_import(actor=None, content=content, file_name="households.csv")

    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [
        (2, "Sexo", "sex_unknown"),
        (3, "Nacionalidad", "nationality_unknown"),
    ]
    assert not Household.objects.exists()


def test_erasing_a_household_blanks_the_sex_and_nationality_of_the_holder_and_members(role_users):
    household = HouseholdFactory(sex="female", nationality="africa")
    member = HouseholdMemberFactory(household=household, sex="male", nationality="africa")

    household_erase(actor=role_users["manager"], household=household, reason="Pedido por la persona interesada")

    assert Household.objects.values_list("sex", "nationality").get(pk=household.pk) == ("", "")
    assert HouseholdMember.objects.values_list("sex", "nationality").get(pk=member.pk) == ("", "")
    assert set(HouseholdMember.history.filter(id=member.pk).values_list("sex", "nationality")) == {("", "")}
