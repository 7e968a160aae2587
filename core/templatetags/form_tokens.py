"""`{% form_token %}`: the hidden one-time token a create form carries (core.form_tokens)."""

from django import template
from django.utils.html import format_html

from core.form_tokens import FIELD, form_token_new

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    """A hidden input with a new token, or the one the form was sent with when it comes back with errors."""
    request = context.get("request")
    sent = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, sent or form_token_new())
