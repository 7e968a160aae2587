"""The delivery app's beat tasks answer to the names beat already has: periodic tasks stored in the database (django
celery beat) call a task by its dotted name, which the move from logistics would otherwise have changed."""

from django.conf import settings

from config.celery import app
from delivery.tasks import surveys_send_task


def test_the_evening_survey_task_keeps_its_name_from_before_the_move():
    entry = settings.CELERY_BEAT_SCHEDULE["logistics-surveys"]

    assert surveys_send_task.name == "logistics.tasks.surveys_send_task"
    assert entry["task"] == surveys_send_task.name
    assert app.tasks[entry["task"]].run is surveys_send_task.run
