from django.urls import path

from requests_intake import views_conversations

urlpatterns = [
    path("conversations/", views_conversations.conversations_inbox, name="conversations"),
    path("households/<int:pk>/conversation/", views_conversations.conversation, name="conversation"),
]
