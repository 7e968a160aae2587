from django.urls import path

from requests_intake import views_complaints

urlpatterns = [
    path("complaints/", views_complaints.complaints, name="complaints"),
    path("complaints/<int:pk>/answer/", views_complaints.complaint_answer_page, name="complaint_answer"),
    # Public, with a Spanish path like the web form: it is printed on leaflets.
    path("sugerencias/", views_complaints.complaint_public, name="complaint_public"),
]
