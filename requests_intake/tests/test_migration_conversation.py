"""requests_intake 0021: the inbound messages that came before the conversation page count as read (they were
handled on the request pages), so the new unread counts start at zero; replies and notes are left as they were."""

import pytest
from django.utils import timezone

BEFORE = ("requests_intake", "0020_household_sex_nationality")
CONVERSATION = ("requests_intake", "0021_conversation")

pytestmark = pytest.mark.django_db(transaction=True)


def test_earlier_inbound_messages_are_read_when_they_came_and_back_again_keeps_them(migrator):
    apps = migrator(BEFORE)
    household = apps.get_model("requests_intake", "Household").objects.create(
        given_name="Carmen", family_name="Sánchez", document_type="none"
    )
    request = apps.get_model("requests_intake", "AidRequest").objects.create(
        household=household, channel="sms", received_at=timezone.now()
    )
    Message = apps.get_model("requests_intake", "RequestMessage")
    inbound = Message.objects.create(request=request, direction="in", channel="sms", body="Hola").pk
    outbound = Message.objects.create(request=request, direction="out", channel="sms", body="Respuesta").pk

    apps = migrator(CONVERSATION)

    Message = apps.get_model("requests_intake", "RequestMessage")
    read = dict(Message.objects.values_list("pk", "read_at"))
    assert read[inbound] == Message.objects.get(pk=inbound).created_at
    assert read[outbound] is None

    apps = migrator(BEFORE)

    assert apps.get_model("requests_intake", "RequestMessage").objects.count() == 2
